/**
 * Emulated time. Everything that changes over time in the emulator (instances going PENDING → READY,
 * log lines, suspend/resume, endpoint provisioning, session expiry) is derived from `clock.now()`
 * rather than from timers, so tests move time forward by hand (`ManualClock.advance`) and get the
 * same result every run, and a demo runs at `speed` × real time.
 */

import type { Clock } from './contract';

export class ManualClock implements Clock {
  constructor(private current: number = Date.UTC(2026, 0, 1, 12, 0, 0)) {}

  now(): number {
    return this.current;
  }

  advance(milliseconds: number): void {
    this.current += milliseconds;
  }

  set(time: number): void {
    this.current = time;
  }
}

/** Real time, optionally faster: `speed: 10` makes a 30 s provisioning take 3 s. */
export class ScaledClock implements Clock {
  private readonly startReal = Date.now();

  constructor(
    private readonly speed: number = 1,
    private readonly startEmulated: number = Date.now(),
  ) {}

  now(): number {
    return this.startEmulated + (Date.now() - this.startReal) * this.speed;
  }
}
