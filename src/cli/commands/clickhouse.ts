import { clickhouseCommand } from '../clickhouse-command.js';
import { defineCommand } from '../command.js';
import { ENGINE_OPTIONS } from '../open-snapshot.js';

/** `onchain-sql clickhouse load --snapshot DIR --url URL …`: lays a snapshot out in ClickHouse as the contract. */
export const command = defineCommand({ ...ENGINE_OPTIONS }, (values, positionals) => clickhouseCommand(values, positionals));
