// A member of the worker pool that runs on the calling thread: a one-shot pack (the CLI) has its main thread read
// while it would otherwise wait for the workers, instead of starting one more thread. On a two-core machine the
// main thread and the counter then share the cores two ways instead of three, and the reader's thread start-up
// (~40 ms of CPU) and the copying of its replies between threads are saved. Requests are answered one at a time,
// each in its own turn of the event loop, so the pool keeps feeding the other threads in between.
import { EventEmitter } from 'node:events';
import { packTask } from './packTasks';
import type { Known } from './tokenCache';
import type { WorkerRequest } from './packTasks';

export class SameThread extends EventEmitter {
  private readonly queue: WorkerRequest[] = [];
  private scheduled = false;
  private stopped = false;

  /** `known`: token counts known by hash (the persisted cache, as a worker reads it). */
  constructor(private readonly known: Known) {
    super();
  }

  /** Queues a request; its reply comes as a 'message' event in a later turn of the event loop. */
  postMessage(msg: WorkerRequest): void {
    this.queue.push(msg);
    this.schedule();
  }

  /** Drops what is queued; nothing more is answered. */
  terminate(): Promise<number> {
    this.stopped = true;
    this.queue.length = 0;
    return Promise.resolve(0);
  }

  private schedule(): void {
    if (this.scheduled || this.stopped || !this.queue.length) return;
    this.scheduled = true;
    setImmediate(() => this.answer());
  }

  private answer(): void {
    this.scheduled = false;
    const msg = this.stopped ? undefined : this.queue.shift();
    if (!msg) return;
    let reply;
    try {
      reply = packTask(msg, this.known);
    } catch (e) {
      this.emit('error', e);
      return;
    }
    this.emit('message', reply);
    this.schedule();
  }
}
