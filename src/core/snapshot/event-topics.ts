import eventTopics from './event-topics.json';

export type EventName = keyof typeof eventTopics.events;

/** Event name → topic0 (event-topics.json holds each with its signature). */
export const TOPIC = Object.fromEntries(
  Object.entries(eventTopics.events).map(([name, e]) => [name, e.topic0]),
) as Record<EventName, string>;

/** Event name → the Solidity signature its topic0 hashes. */
export const EVENT_SIGNATURES = Object.fromEntries(
  Object.entries(eventTopics.events).map(([name, e]) => [name, e.signature]),
) as Record<EventName, string>;
