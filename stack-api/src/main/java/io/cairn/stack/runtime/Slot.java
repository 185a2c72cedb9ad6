package io.cairn.stack.runtime;

import com.typesafe.config.Config;
import io.cairn.stack.event.DownEvent;
import io.cairn.api.MemberId;
import io.cairn.stack.event.Message;
import io.cairn.stack.event.UpEvent;
import io.cairn.api.View;
import io.cairn.stack.spi.Counter;
import io.cairn.stack.spi.Layer;
import io.cairn.stack.spi.LayerContext;
import io.cairn.stack.spi.TimerTask;

import java.util.random.RandomGenerator;

/**
 * One layer's place in a stack and its {@link LayerContext}. Forwarding calls jump straight to the next layer
 * that overrides the handler (links computed from the skip mask at assembly), or to the runtime at either end.
 */
final class Slot implements LayerContext {
    final int index;
    final String name;
    final Layer layer;
    final Config settings;
    final int mask;
    final int headerOffset;
    final int headerLength;
    private final StackRuntime stack;
    private final System.Logger logger;

    /** Handlers of this layer now on the call stack (run to completion defers events that would re-enter it). */
    int active;
    /** Whether this layer holds the application's casts (several layers may, each for its own reason). */
    boolean holdingCasts;
    /** Events this layer raised that wait in the run-to-completion queue. */
    int deferred;

    Slot castNext;
    Slot sendNext;
    Slot downNext;
    Slot deliverNext;
    Slot upNext;

    Slot(final StackRuntime stack, final int index, final String name, final Layer layer, final Config settings,
         final int headerOffset) {
        this.stack = stack;
        this.index = index;
        this.name = name;
        this.layer = layer;
        this.settings = settings;
        this.mask = SkipMask.of(layer);
        this.headerOffset = headerOffset;
        this.headerLength = layer.headerLength();
        this.logger = System.getLogger("io.cairn.layer." + name);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Config settings() {
        return settings;
    }

    @Override
    public int headerOffset() {
        return headerOffset;
    }

    @Override
    public int bodyOffset() {
        return headerOffset + headerLength;
    }

    @Override
    public java.security.SecureRandom secureRandom() {
        return stack.secureRandom();
    }

    @Override
    public io.cairn.stack.spi.PeerLiveness peers() {
        return stack.peers();
    }

    @Override
    public int headroom() {
        return stack.headroom();
    }

    @Override
    public int maxFrameLength() {
        return stack.maxFrameLength();
    }

    @Override
    public MemberId self() {
        return stack.self();
    }

    @Override
    public java.util.List<MemberId> seeds() {
        return stack.seeds();
    }

    @Override
    public View view() {
        return stack.view();
    }

    @Override
    public long nowNs() {
        return stack.nowNs();
    }

    @Override
    public RandomGenerator random() {
        return stack.random();
    }

    @Override
    public long schedule(final long delayNs, final TimerTask task) {
        return stack.schedule(delayNs, task, this);
    }

    @Override
    public void cancel(final long timerId) {
        stack.cancelTimer(timerId);
    }

    @Override
    public Counter counter(final String counterName) {
        return stack.stats().counter(name + "." + counterName);
    }

    @Override
    public void cast(final Message msg) {
        // A cast a layer kept across a view change (queued by the flush, held by flow control) goes out in the
        // view of the bottom now: layers below that store it (retransmission, relay) keep the view it is sent in.
        stack.stampViewTag(msg);
        final Slot next = castNext;
        if (next != null) {
            next.active++;
            next.layer.onCast(next, msg);
            next.active--;
        } else {
            stack.bottomCast(msg);
        }
    }

    @Override
    public void send(final Message msg) {
        final Slot next = sendNext;
        if (next != null) {
            next.active++;
            next.layer.onSend(next, msg);
            next.active--;
        } else {
            stack.bottomSend(msg);
        }
    }

    @Override
    public void deliver(final Message msg) {
        final Slot next = deliverNext;
        if (next != null) {
            if (msg.length() < next.bodyOffset()) {
                stack.shortFrame(msg);
                return;
            }
            next.active++;
            next.layer.onDeliver(next, msg);
            next.active--;
        } else {
            stack.topDeliver(msg);
        }
    }

    @Override
    public void down(final DownEvent event) {
        if (stack.mustDefer(this, false)) {
            stack.defer(this, false, event);
        } else {
            forwardDown(event);
        }
    }

    void forwardDown(final DownEvent event) {
        final Slot next = downNext;
        if (next != null) {
            next.active++;
            next.layer.onDownEvent(next, event);
            next.active--;
        } else {
            stack.bottomEvent(event);
        }
    }

    @Override
    public void up(final UpEvent event) {
        if (stack.mustDefer(this, true)) {
            stack.defer(this, true, event);
        } else {
            forwardUp(event);
        }
    }

    void forwardUp(final UpEvent event) {
        final Slot next = upNext;
        if (next != null) {
            next.active++;
            next.layer.onUpEvent(next, event);
            next.active--;
        } else {
            stack.topEvent(event);
        }
    }

    @Override
    public Message allocate(final int payloadLength) {
        return stack.allocate(payloadLength);
    }

    @Override
    public Message allocateControl(final int bodyLength) {
        return stack.allocateControl(layer.layerId(), bodyLength);
    }

    @Override
    public void castControl(final Message control) {
        stack.castControl(control);
    }

    @Override
    public void sendControl(final Message control, final long destination) {
        stack.sendControl(control, destination);
    }

    @Override
    public void holdCasts(final boolean hold) {
        if (hold != holdingCasts) {
            holdingCasts = hold;
            stack.holdCasts(hold);
        }
    }

    @Override
    public long consumedBytes() {
        return stack.consumption().total();
    }

    @Override
    public void fail(final String reason, final Throwable cause) {
        stack.fail(name + ": " + reason, cause);
    }

    @Override
    public System.Logger logger() {
        return logger;
    }

    @Override
    public String toString() {
        return "Slot[" + index + " " + name + "]";
    }
}
