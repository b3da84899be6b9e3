// Coalesces work to at most once per frame: many deltas can arrive between two frames, and the
// DOM needs updating only once before the next paint. A timer backs up requestAnimationFrame,
// which a browser may pause for a hidden view.

/** Milliseconds after which pending work runs even without an animation frame. */
const FALLBACK_MS = 100;

export class FrameScheduler {
  private pending = false;
  private frame = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly work: () => void) {}

  request(): void {
    if (this.pending) return;
    this.pending = true;
    this.frame = requestAnimationFrame(this.run);
    this.timer = setTimeout(this.run, FALLBACK_MS);
  }

  /** Runs pending work now (before a message that must see an up-to-date DOM). */
  readonly run = (): void => {
    if (!this.pending) return;
    this.pending = false;
    cancelAnimationFrame(this.frame);
    clearTimeout(this.timer);
    this.work();
  };
}
