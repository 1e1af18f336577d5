// TEST ONLY. A language model contributed through the editor's provider API
// (vscode.lm.registerLanguageModelChatProvider, stable since VS Code 1.104),
// loaded beside Onchain SQL by test/integration/run-code-server.mjs. It replies
// from a script the test sets and records every request as plain data (tool
// mode, tools with their input schemas, message texts), so the suite can check
// what Onchain SQL sent an editor model and what it did with the reply.
// Plain JavaScript, no build: it is never packaged.
'use strict';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain CommonJS: this extension has no build step
const vscode = require('vscode');

const VENDOR = 'onchain-test';
const MODEL = {
  id: 'onchain-test-scripted',
  name: 'Scripted Test Model',
  family: 'onchain-test',
  version: '1',
  maxInputTokens: 200000,
  maxOutputTokens: 8000,
  tooltip: 'Replies from a script the integration test sets.',
  capabilities: { toolCalling: true },
};

/** Text of one message part whatever its class (text parts carry `value`). */
function partText(p) {
  return p instanceof vscode.LanguageModelTextPart || typeof (p && p.value) === 'string' ? p.value : '';
}

/** @type {Array<{kind: 'toolCall', name: string, input: object} | {kind: 'text', text: string} | {kind: 'error', message: string} | {kind: 'waitForCancel'}>} */
let script = [];
const requests = [];

function record(messages, options, token) {
  const entry = {
    toolMode: options && options.toolMode,
    tools: ((options && options.tools) || []).map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema })),
    messages: messages.map((m) => ({ role: m.role, text: m.content.map(partText).join('') })),
    cancelled: false,
  };
  token.onCancellationRequested(() => { entry.cancelled = true; });
  requests.push(entry);
  return entry;
}

const provider = {
  provideLanguageModelChatInformation: () => [MODEL],
  async provideLanguageModelChatResponse(_model, messages, options, progress, token) {
    const entry = record(messages, options, token);
    const step = script.shift();
    if (!step) throw new Error('the scripted test model has no reply left for this request');
    if (step.kind === 'toolCall') {
      progress.report(new vscode.LanguageModelToolCallPart(`call-${requests.length}`, step.name, step.input));
    } else if (step.kind === 'text') {
      progress.report(new vscode.LanguageModelTextPart(step.text));
    } else if (step.kind === 'error') {
      // Stand in for a model that refuses the request as sent (e.g. one without tool support).
      throw new Error(step.message);
    } else if (step.kind === 'waitForCancel') {
      // Stand in for a slow model: answer nothing until the caller cancels (or 30 s pass, which fails the test).
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, 30000);
        token.onCancellationRequested(() => { clearTimeout(timer); resolve(); });
      });
      entry.cancelled = token.isCancellationRequested;
      if (!token.isCancellationRequested) progress.report(new vscode.LanguageModelTextPart('(no cancellation arrived)'));
    } else {
      throw new Error(`unknown script step ${JSON.stringify(step)}`);
    }
  },
  async provideTokenCount(_model, text) {
    const s = typeof text === 'string' ? text : text.content.map(partText).join('');
    return Math.ceil(s.length / 4);
  },
};

function activate(context) {
  /** @type {import('vscode').Disposable | undefined} */
  let registration;
  const unregister = () => { registration?.dispose(); registration = undefined; };
  context.subscriptions.push({ dispose: unregister });
  return {
    vendor: VENDOR,
    modelId: MODEL.id,
    /**
     * Offers the model to the editor. Only while a suite needs it: with a model listed, every
     * other suite's ask under the default provider setting would go to this script instead.
     */
    register() {
      registration ??= vscode.lm.registerLanguageModelChatProvider(VENDOR, provider);
    },
    /** Withdraws the model again. */
    unregister,
    /** Replaces the replies still to come and forgets the recorded requests. */
    reset(steps) { script = steps.slice(); requests.length = 0; },
    /** What the model received so far, oldest first. */
    requests() { return requests.slice(); },
    /** Replies the script still holds (a test checks none was left unused). */
    pending() { return script.length; },
  };
}

module.exports = { activate, deactivate() {} };
