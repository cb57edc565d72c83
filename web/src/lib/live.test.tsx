import { render, screen, waitFor } from '@solidjs/testing-library';
import { createRoot } from 'solid-js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LiveStatus } from '../components/live-status.tsx';
import { changeEvent, installFakeEventSource } from '../test/fake-event-source.ts';
import { signIn } from '../test/items.ts';
import { type LiveEvent, liveState, MAX_FAILURES, startLive, stopLive, subscribe, usePollingFallback } from './live.ts';

afterEach(() => {
  stopLive();
  vi.unstubAllGlobals();
});

describe('the live connection', () => {
  it('Should open one stream of item and job changes however often it is started, and go live on ready', () => {
    const Fake = installFakeEventSource();
    startLive();
    startLive();
    expect(Fake.instances).toHaveLength(1);
    expect(Fake.latest.url).toMatch(/\/api\/v1\/events\?types=item\.\*,job\.\*$/);
    expect(Fake.latest.withCredentials).toBe(true);
    expect(liveState()).toBe('connecting');
    Fake.latest.emit('ready', {}, '41');
    expect(liveState()).toBe('live');
    stopLive();
    expect(liveState()).toBe('off');
    expect(Fake.instances[0]?.readyState).toBe(Fake.CLOSED);
  });

  it('Should hand each change to the subscribers of its entity, and of its id when they name one', () => {
    const Fake = installFakeEventSource();
    startLive();
    Fake.latest.emit('ready', {}, '1');
    const items: LiveEvent[] = [];
    const one: LiveEvent[] = [];
    const jobs: LiveEvent[] = [];
    const stopItems = subscribe('item', (e) => items.push(e));
    subscribe('item', (e) => one.push(e), { entityId: () => 'a' });
    subscribe('job', (e) => jobs.push(e));
    Fake.latest.emit('item.updated', changeEvent('item.updated', 'a', { title: 'A' }), '2');
    Fake.latest.emit('item.created', changeEvent('item.created', 'b', { title: 'B' }), '3');
    Fake.latest.emit('job.progress', changeEvent('job.progress', 'j', { progress: { checkpoint: 5 } }), '4');
    expect(items.map((e) => e.entityId)).toEqual(['a', 'b']);
    expect(one.map((e) => e.type)).toEqual(['item.updated']);
    expect(jobs.map((e) => e.type)).toEqual(['job.progress']);
    stopItems();
    Fake.latest.emit('item.deleted', changeEvent('item.deleted', 'a', null), '5');
    expect(items).toHaveLength(2);
    expect(one).toHaveLength(2);
  });

  it('Should say it is reconnecting when the stream ends, and live again once it is back', () => {
    const Fake = installFakeEventSource();
    startLive();
    Fake.latest.emit('ready', {}, '7');
    Fake.latest.emit('end', { reason: 'reconnect' });
    expect(liveState()).toBe('reconnecting');
    Fake.latest.fail();
    expect(liveState()).toBe('reconnecting');
    Fake.latest.emit('ready', {}, '7');
    expect(liveState()).toBe('live');
    expect(Fake.instances).toHaveLength(1); // the browser reconnected the same EventSource
  });

  it('Should have subscribers reload what a stream starting now may have missed', () => {
    const Fake = installFakeEventSource();
    const onReset = vi.fn();
    subscribe('job', () => {}, { onReset });
    startLive();
    Fake.latest.emit('ready', {}, '3');
    expect(onReset).toHaveBeenCalledOnce();
  });

  it('Should tell subscribers to reload on reset, once the stream started again from now', () => {
    const Fake = installFakeEventSource();
    startLive();
    Fake.latest.emit('ready', {}, '9');
    const onReset = vi.fn();
    subscribe('item', () => {}, { onReset });
    Fake.latest.emit('reset', { reason: 'expired' });
    expect(Fake.instances).toHaveLength(2);
    expect(Fake.instances[0]?.readyState).toBe(Fake.CLOSED);
    expect(Fake.latest.url).not.toContain('after=');
    expect(onReset).not.toHaveBeenCalled();
    Fake.latest.emit('ready', {}, '50');
    expect(onReset).toHaveBeenCalledOnce();
    // A resumed stream has missed nothing: no reload.
    Fake.latest.emit('end');
    Fake.latest.emit('ready', {}, '50');
    expect(onReset).toHaveBeenCalledOnce();
  });

  it(`Should fall back to polling after ${MAX_FAILURES} failures before any ready, and poll only then`, async () => {
    const Fake = installFakeEventSource();
    const tick = vi.fn(() => true);
    const dispose = createRoot((dispose) => {
      usePollingFallback(tick, 20);
      return dispose;
    });
    startLive();
    for (let i = 1; i < MAX_FAILURES; i++) Fake.latest.fail();
    expect(liveState()).toBe('connecting');
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(tick).not.toHaveBeenCalled();
    Fake.latest.fail();
    expect(liveState()).toBe('polling');
    expect(Fake.latest.readyState).toBe(Fake.CLOSED);
    await waitFor(() => expect(tick.mock.calls.length).toBeGreaterThan(1));
    dispose();
  });

  it('Should poll when the browser has no EventSource', () => {
    vi.stubGlobal('EventSource', undefined);
    startLive();
    expect(liveState()).toBe('polling');
  });

  it('Should open the stream again after the last event it saw when the browser gave up on it', async () => {
    await signIn('viewer');
    const Fake = installFakeEventSource();
    startLive();
    Fake.latest.emit('ready', {}, '100');
    Fake.latest.emit('item.updated', changeEvent('item.updated', 'a', {}), '105');
    Fake.latest.fail(true);
    expect(liveState()).toBe('reconnecting');
    await waitFor(() => expect(Fake.instances).toHaveLength(2), { timeout: 6000 });
    expect(Fake.latest.url).toContain('after=105');
    Fake.latest.emit('ready', {}, '105');
    expect(liveState()).toBe('live');
  });
});

describe('the live indicator', () => {
  it('Should say live, reconnecting or polling in a status', () => {
    const Fake = installFakeEventSource();
    render(() => <LiveStatus />);
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
    startLive();
    expect(screen.getByRole('status')).toHaveTextContent('Connecting…');
    Fake.latest.emit('ready', {}, '1');
    expect(screen.getByRole('status')).toHaveTextContent('Live');
    Fake.latest.emit('end');
    expect(screen.getByRole('status')).toHaveTextContent('Reconnecting…');
    stopLive();
    vi.stubGlobal('EventSource', undefined);
    startLive();
    expect(screen.getByRole('status')).toHaveTextContent('Updates every few seconds');
  });
});
