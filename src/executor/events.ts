import fs from 'node:fs';
import { redactText } from '../config/redact.js';

/** One line of the NDJSON event log (schemas/events.schema.json). */
export interface ApplyEvent {
  ts: string;
  runId: string;
  type:
    | 'run.start'
    | 'run.resume'
    | 'run.end'
    | 'task.start'
    | 'task.end'
    | 'step'
    | 'intent'
    | 'result'
    | 'reconcile'
    | 'wait'
    | 'handoff'
    | 'warning'
    /** Written by `st-goods dashboard --log-json`: a running apply made no progress for a while. */
    | 'alert';
  ship?: string;
  taskId?: string;
  message: string;
  data?: Record<string, unknown>;
}

export type EventListener = (e: ApplyEvent) => void;

/** Fans apply events out to the NDJSON log file and any listeners (the progress UI). */
export class EventSink {
  #fd?: number;
  #listeners: EventListener[] = [];

  constructor(readonly runId: string, logFile?: string) {
    if (logFile === '-') this.#fd = 1;
    else if (logFile) this.#fd = fs.openSync(logFile, 'a');
  }

  on(listener: EventListener): void {
    this.#listeners.push(listener);
  }

  emit(type: ApplyEvent['type'], message: string, extra: Partial<Pick<ApplyEvent, 'ship' | 'taskId' | 'data'>> = {}): void {
    const e: ApplyEvent = { ts: new Date().toISOString(), runId: this.runId, type, message: redactText(message), ...extra };
    if (this.#fd !== undefined) fs.writeSync(this.#fd, `${redactText(JSON.stringify(e))}\n`);
    for (const l of this.#listeners) l(e);
  }

  close(): void {
    if (this.#fd !== undefined && this.#fd > 2) fs.closeSync(this.#fd);
    this.#fd = undefined;
  }
}
