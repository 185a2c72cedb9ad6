package io.cairn.layers.membership;

import io.cairn.stack.event.DownEvent;
import io.cairn.stack.event.Exited;
import io.cairn.stack.event.FlushCompleted;
import io.cairn.stack.event.FlushRequest;
import io.cairn.stack.event.Join;
import io.cairn.stack.event.Leave;
import io.cairn.api.MemberId;
import io.cairn.stack.event.Message;
import io.cairn.stack.event.Suspected;
import io.cairn.stack.event.UpEvent;
import io.cairn.api.View;
import io.cairn.api.ViewId;
import io.cairn.stack.event.InstallView;
import io.cairn.stack.event.ViewInstalled;
import io.cairn.stack.spi.Counter;
import io.cairn.stack.spi.PerViewLayer;
import io.cairn.stack.spi.LayerContext;
import io.cairn.stack.spi.LayerSpec;
import io.cairn.stack.spi.Settings;
import io.cairn.stack.spi.TimerTask;
import io.cairn.stack.wire.ViewTag;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Group views: joins, leaves, exclusion of failed members, primary partition. See the package documentation. */
@LayerSpec(name = "membership", id = MembershipLayer.ID, position = 700,
    provides = "membership", requires = {"virtual-synchrony", "failure-detection"})
public final class MembershipLayer extends PerViewLayer {
    /** Layer id of membership. */
    public static final int ID = 30;
    /** Start of the {@link Exited} reason when this member lost the primary partition. */
    public static final String PRIMARY_LOST = "lost the primary partition";

    private final TimerTask tick = this::onTick;
    private final MembershipCodec.Writer writer = new MembershipCodec.Writer();
    private final MembershipCodec.Reader reader = new MembershipCodec.Reader();
    private long intervalNs;
    private long ackTimeoutNs;
    private long foundAfterNs;
    private long foundAfterDiscoveredNs;
    /** When the current view was installed here (layer time). */
    private long viewSinceNs;
    private long lastTickNs;
    private Founding founding;

    private boolean exited;
    /** Retry intervals the last member waits, after letting the others go, before it leaves too. */
    private static final int LAST_LEAVE_GRACE = 3;
    private boolean leaving;
    private final Set<MemberId> suspects = new LinkedHashSet<>();
    private final Set<MemberId> leavers = new LinkedHashSet<>();
    private final Set<MemberId> joiners = new LinkedHashSet<>();

    private long attempt;
    private long maxAttempt;
    private long myAttempt;
    private List<MemberId> proposal = List.of();
    private List<MemberId> proposalSurvivors = List.of();
    private View installed;
    private final Set<Long> pendingAcks = new HashSet<>();
    /** Of the current view: the epoch it follows (0 for a founding view), its joiners, the attempt that made it. */
    private long viewPrevEpoch;
    private List<MemberId> viewJoiners = List.of();
    private long viewAttempt;
    /** Highest incarnation of each name removed from a view this member installed: it never comes back. */
    private final Map<String, Integer> gone = new HashMap<>();

    private Counter viewChanges;

    @Override
    public void configure(final Settings s) {
        intervalNs = s.durationNs("retry-interval", Settings.MICROSECOND, Settings.HOUR);
        foundAfterNs = s.durationNs("found-after", Settings.MICROSECOND, Settings.HOUR);
        s.require(foundAfterNs >= intervalNs, "found-after", "must be at least retry-interval ("
            + Settings.duration(intervalNs) + ")");
        foundAfterDiscoveredNs = s.durationNs("found-after-discovered", Settings.MICROSECOND, Settings.HOUR);
        s.require(foundAfterDiscoveredNs >= intervalNs, "found-after-discovered", "must be at least retry-interval ("
            + Settings.duration(intervalNs) + ")");
        ackTimeoutNs = s.durationNs("ack-timeout", Settings.MICROSECOND, Settings.HOUR);
        s.require(ackTimeoutNs >= intervalNs, "ack-timeout", "must be at least retry-interval ("
            + Settings.duration(intervalNs) + ")");
    }

    @Override
    protected void onInit(final LayerContext c) {
        viewChanges = c.counter("view_changes");
        founding = new Founding(c, c.seeds().isEmpty() ? foundAfterDiscoveredNs : foundAfterNs);
        c.schedule(intervalNs, tick);
    }

    // ------------------------------------------------------------------ events

    @Override
    public void onDownEvent(final LayerContext c, final DownEvent e) {
        if (e instanceof Leave) {
            leaving = true;
            if (view() != null) {
                leavers.add(c.self());
                send(writer.reset(MembershipCodec.LEAVE).member(c.self()), 0);
                maybeChange();
            }
        } else if (!(e instanceof Join)) {
            // Joining starts by itself.
            c.down(e);
        }
    }

    @Override
    public void onUpEvent(final LayerContext c, final UpEvent e) {
        if (e instanceof FlushCompleted fc) {
            // A coordinator that stopped (lost the primary partition) while its flush completed installs nothing.
            if (!exited && fc.attempt() == myAttempt && myAttempt != 0) {
                commit();
            }
            return;
        }
        if (e instanceof Suspected s && view() != null && view().contains(s.member()) && !s.member().equals(c.self())) {
            suspects.add(s.member());
            maybeChange();
        }
        if (!exited) {
            c.up(e);
        }
    }

    @Override
    public void onDeliver(final LayerContext c, final Message m) {
        // Once out of the group, nothing more is delivered: the majority may already be in a later view.
        if (!exited) {
            c.deliver(m);
        }
    }

    @Override
    public void onControl(final LayerContext c, final Message m) {
        if (exited) {
            return;
        }
        reader.wrap(m.buffer(), m.payloadOffset(), m.payloadLength());
        final int type = reader.i8();
        switch (type) {
            case MembershipCodec.JOIN -> {
                final MemberId j = reader.member();
                if (valid() && j.key() == m.sender()) {
                    onJoin(j);
                }
            }
            case MembershipCodec.LEAVE -> {
                final MemberId l = reader.member();
                if (valid() && l.key() == m.sender() && view() != null) {
                    if (view().contains(l)) {
                        leavers.add(l);
                        maybeChange();
                    } else if (isGone(l)) {
                        // It missed the view that let it go: show it that view, so it exits.
                        sendView(l.key());
                    }
                }
            }
            case MembershipCodec.REJECT -> {
                final MemberId r = reader.member();
                if (valid() && r.equals(ctx().self()) && (view() == null || view().rankOfKey(m.sender()) >= 0)) {
                    exit("excluded from the group: " + r + " was removed from a view and never comes back; "
                        + "rejoin as a new incarnation", true);
                }
            }
            case MembershipCodec.WAIT -> {
                final long epoch = reader.i64();
                if (valid()) {
                    if (epoch <= 0) {
                        malformed();
                    } else if (view() == null) {
                        founding.heardWait(ctx().nowNs());
                    }
                }
            }
            case MembershipCodec.PREPARE -> {
                final long a = reader.i64();
                final long tag = reader.i64();
                final List<MemberId> survivors = reader.members();
                final List<MemberId> next = reader.members();
                if (valid()) {
                    onPrepare(m.sender(), a, tag, survivors, next);
                }
            }
            case MembershipCodec.INSTALL -> {
                final long a = reader.i64();
                final long prevEpoch = reader.i64();
                final List<MemberId> newcomers = reader.members();
                final View v = reader.view();
                if (valid()) {
                    onInstall(m.sender(), a, prevEpoch, newcomers, v);
                }
            }
            case MembershipCodec.ACK -> {
                final long epoch = reader.i64();
                if (valid() && installed != null && epoch == installed.id().epoch()) {
                    pendingAcks.remove(m.sender());
                }
            }
            default -> malformed();
        }
    }

    private boolean valid() {
        if (!reader.ok() || !reader.atEnd()) {
            malformed();
            return false;
        }
        return true;
    }

    // ------------------------------------------------------------------ joining and leaving

    private void onJoin(final MemberId j) {
        if (j.equals(ctx().self())) {
            return;
        }
        if (view() == null) {
            founding.heardJoin(j, ctx().nowNs());
            return;
        }
        if (view().contains(j) && ctx().nowNs() - viewSinceNs > ackTimeoutNs && !suspects.contains(j)) {
            // A member of this view still asking to join never got it (its INSTALL keeps being lost, or the
            // coordinator that sent it is gone and the next in line is this very member): it is not in the view
            // and never will be, however alive its heartbeats look. Without this a member could sit in a view
            // whose majority exists only on paper, for ever.
            suspectHere(j);
            maybeChange();
            if (exited) {
                return;
            }
        }
        if (!view().contains(j)) {
            // Whoever is in a view says so: a joiner that hears it does not found a second group while this one's
            // coordinator is down or busy (without this, a crashed coordinator let a majority of restarted
            // incarnations found a group beside a live primary view).
            send(writer.reset(MembershipCodec.WAIT).i64(epoch()), j.key());
        }
        if (!isCoordinator()) {
            return;
        }
        if (isGone(j)) {
            // An excluded incarnation never comes back (its state stopped at the view that dropped it): it must
            // rejoin as a new incarnation, which gets the group's state.
            send(writer.reset(MembershipCodec.REJECT).member(j), j.key());
            return;
        }
        if (view().contains(j)) {
            // Its INSTALL was lost: send the current view again.
            sendView(j.key());
            return;
        }
        for (final MemberId m : view().members()) {
            if (m.name().equals(j.name()) && m.incarnation() < j.incarnation()) {
                // The old incarnation restarted: it is gone.
                suspects.add(m);
            }
        }
        joiners.add(j);
        maybeChange();
    }

    private void found() {
        final List<MemberId> others = founding.members(ctx().nowNs());
        final List<MemberId> members = new ArrayList<>();
        members.add(ctx().self());
        members.addAll(others);
        final View v = new View(new ViewId(1, ctx().self()), members, true);
        installed = v;
        pendingAcks.clear();
        others.forEach(f -> pendingAcks.add(f.key()));
        sendView(0, v, 0, 0, members);
        install(v, 0, members, 0);
    }

    // ------------------------------------------------------------------ view changes

    private boolean isCoordinator() {
        if (view() == null) {
            return false;
        }
        for (final MemberId m : view().members()) {
            if (!suspects.contains(m) && !leavers.contains(m)) {
                return m.equals(ctx().self());
            }
        }
        // All leaving, none suspected: the oldest coordinates (a suspected member may be alive and coordinating).
        return view().members().stream().noneMatch(suspects::contains) && view().members().get(0).equals(ctx().self());
    }

    /**
     * The coordinator proposes the next view when members failed, leave or want to join. Leavers are alive: they
     * take part in the flush of the view that lets them go (so everything they cast in it reaches the survivors),
     * and only the next view leaves them out.
     */
    private void maybeChange() {
        if (view() == null || exited) {
            return;
        }
        final List<MemberId> survivors = new ArrayList<>();
        for (final MemberId m : view().members()) {
            if (!suspects.contains(m)) {
                survivors.add(m);
            }
        }
        if (survivors.size() * 2 <= view().size() || refoundedWithoutMajority(survivors)) {
            // Primary partition: a member that cannot reach a majority of its view stops; the majority (if any)
            // goes on without it. The process rejoins as a new incarnation once it can reach the group again (a
            // leaver too stops here, without rejoining: nobody in its minority could complete its leave).
            exit(PRIMARY_LOST + " (" + survivors.size() + " of " + view().size() + " members reachable)");
            return;
        }
        if (!isCoordinator()) {
            return;
        }
        final List<MemberId> next = new ArrayList<>(survivors);
        next.removeAll(leavers);
        // All leaving: the oldest stays for one more view and admits nobody; then, alone, it proposes no view (its
        // flush delivers what it sent) after answering the others' LEAVEs for a while (their INSTALL is not repeated).
        final boolean allLeaving = next.isEmpty();
        if (allLeaving && survivors.size() > 1) {
            next.add(ctx().self());
        } else if (allLeaving && ctx().nowNs() - viewSinceNs < LAST_LEAVE_GRACE * intervalNs) {
            return; // the last member: it proposes on a later tick
        }
        if (next.size() * 2 <= view().size() && survivors.size() < view().size()) {
            // With members gone, the next primary view keeps a majority of this one without counting leavers
            // (M4): they wait for the next change. With everyone reachable, leavers go at once: they take part in
            // the flush and exit knowing the new view, so no other primary view can form with them.
            next.clear();
            next.addAll(survivors);
        }
        for (final MemberId j : joiners) {
            if (!view().contains(j) && !allLeaving) {
                next.add(j);
            }
        }
        if (survivors.size() == view().size() && next.equals(survivors)) {
            // Nothing to change. (Comparing sizes here once let a leaver plus a joiner look like no change, so a
            // proposal that one member missed was never repeated: the group stalled for good.)
            return;
        }
        if (myAttempt != 0 && next.equals(proposal) && survivors.equals(proposalSurvivors)) {
            // In progress: repeat the proposal for members that lost it (they ignore duplicates).
            sendPrepare();
            return;
        }
        myAttempt = nextAttempt();
        proposal = next;
        proposalSurvivors = survivors;
        sendPrepare();
        onPrepare(ctx().self().key(), myAttempt, viewTag(), survivors, next);
    }

    /** A suspicion of this layer's own (not the failure detector's) goes up like one, for the layers above. */
    private void suspectHere(final MemberId m) {
        if (suspects.add(m) && !exited) {
            ctx().up(new Suspected(m));
        }
    }

    /**
     * A group founded again (its first view, by a later incarnation) is primary only while a majority of the
     * configured members is in it: two founders that did not hear each other may both found, but each member
     * installs one founding view only, and those that did not are dropped by ack-timeout, so at most one keeps it.
     */
    private boolean refoundedWithoutMajority(final List<MemberId> survivors) {
        return epoch() == 1 && view().id().coordinator().incarnation() > 0
            && !founding.majorityOfSeeds(survivors);
    }

    private void sendPrepare() {
        send(writer.reset(MembershipCodec.PREPARE).i64(myAttempt).i64(viewTag()).members(proposalSurvivors)
            .members(proposal), 0);
    }

    /** Attempt ids grow past every attempt seen; the low byte (rank) keeps two coordinators' attempts distinct. */
    private long nextAttempt() {
        final long counter = Math.max(maxAttempt >>> 8, epoch() << 24) + 1;
        return counter << 8 | Math.min(255, view().rank(ctx().self()));
    }

    /**
     * A coordinator's proposal, naming the view it flushes by tag: a proposal for another partition's view of the
     * same epoch (whose coordinator this view lists but which installed its own) is not this view's, and following
     * it would suspect this view's members and run a flush nobody here coordinates.
     */
    private void onPrepare(final long from, final long a, final long tag, final List<MemberId> survivors,
                           final List<MemberId> next) {
        if (view() == null) {
            return;
        }
        final long epoch = ViewTag.epoch(tag);
        if (epoch < epoch()) {
            // The coordinator missed the view we installed: hand it over (it adopts it if it follows its own).
            sendView(from);
            return;
        }
        maxAttempt = Math.max(maxAttempt, a);
        final int coordinatorRank = view().rankOfKey(from);
        // A later epoch, or the same epoch of another view, is not this view's proposal.
        if (!sameView(tag) || a <= attempt || coordinatorRank < 0 || !survivors.contains(ctx().self())) {
            return;
        }
        for (final MemberId m : view().members()) {
            // Agree with the coordinator on who is gone, so that everyone agrees on who coordinates.
            if (!survivors.contains(m)) {
                suspects.add(m);
            }
        }
        attempt = a;
        ctx().down(new FlushRequest(a, survivors, view().members().get(coordinatorRank)));
    }

    /** Coordinator: the flush completed everywhere: install the proposal, telling everyone first. */
    private void commit() {
        if (!isCoordinator()) {
            return;
        }
        if (proposal.isEmpty()) {
            exit(Exited.LEFT, false); // the last member, leaving: flushed, and there is no view to make
            return;
        }
        final View v = new View(new ViewId(epoch() + 1, ctx().self()), proposal, true);
        final List<MemberId> newcomers = new ArrayList<>();
        for (final MemberId m : proposal) {
            if (!view().contains(m)) {
                newcomers.add(m);
            }
        }
        installed = v;
        pendingAcks.clear();
        for (final MemberId m : v.members()) {
            if (!m.equals(ctx().self())) {
                pendingAcks.add(m.key());
            }
        }
        final long a = myAttempt;
        sendView(0, v, a, epoch(), newcomers);
        install(v, epoch(), newcomers, a);
    }

    /** Sends the current view as installed (with the epoch it follows and its joiners); 0 multicasts. */
    private void sendView(final long to) {
        sendView(to, view(), viewAttempt, viewPrevEpoch, viewJoiners);
    }

    private void sendView(final long to, final View v, final long a, final long prevEpoch,
                          final List<MemberId> newcomers) {
        send(writer.reset(MembershipCodec.INSTALL).i64(a).i64(prevEpoch).members(newcomers).view(v), to);
    }

    /**
     * A member installs a view only as one of its joiners (with no view yet) or right after the view it follows;
     * anything else means it missed a view change (its flush, its messages, or the state transfer a joiner gets),
     * so it exits and rejoins as a new incarnation rather than carrying on with a different history.
     */
    private void onInstall(final long from, final long a, final long prevEpoch, final List<MemberId> newcomers,
                           final View v) {
        if (view() == null && v.id().epoch() == 1 && founding.waitHeardRecently(ctx().nowNs())) {
            return;
        }
        if (v.contains(ctx().self())) {
            final boolean joiner = newcomers.contains(ctx().self());
            if (view() == null || v.id().epoch() > epoch()) {
                if (view() == null ? !joiner : joiner || prevEpoch != epoch()) {
                    exit("missed a view change: offered view " + v.id() + " (after epoch " + prevEpoch + ", "
                        + (joiner ? "as a joiner" : "as a member") + ") while at " + (view() == null ? "no view"
                        : "view " + view().id()), true);
                    return;
                }
                install(v, prevEpoch, newcomers, a);
            }
            if (view().id().equals(v.id())) {
                send(writer.reset(MembershipCodec.ACK).i64(v.id().epoch()), from);
            }
        } else if (view() != null && v.id().epoch() >= epoch() && !v.id().equals(view().id())
            && view().contains(ctx().self()) && view().rankOfKey(from) >= 0) {
            // (An equal epoch with another coordinator: the group went on without this member, e.g. a paused
            // coordinator that committed its own view after being replaced.)
            // A leaver that took part in the flush which made v (its attempt) left cleanly; otherwise it was
            // dropped without it (suspected), which is an exclusion.
            exit(leaving && prevEpoch == epoch() && a == attempt && a != 0 ? Exited.LEFT
                : "excluded from the group", !leaving);
        }
    }

    /** Views start here, in {@code install}: this layer makes them. */
    @Override
    protected void onView(final LayerContext c, final View v) {
    }

    private boolean isGone(final MemberId m) {
        final Integer inc = gone.get(m.name());
        return inc != null && m.incarnation() <= inc;
    }

    private void install(final View v, final long prevEpoch, final List<MemberId> newcomers, final long a) {
        if (view() != null) {
            for (final MemberId m : view().members()) {
                if (!v.contains(m)) {
                    gone.merge(m.name(), m.incarnation(), Math::max);
                }
            }
        }
        viewPrevEpoch = prevEpoch;
        viewJoiners = List.copyOf(newcomers);
        viewAttempt = a;
        enterView(ctx(), v);
        suspects.removeIf(m -> !v.contains(m));
        leavers.removeIf(m -> !v.contains(m));
        joiners.removeIf(v::contains);
        myAttempt = 0;
        proposal = List.of();
        proposalSurvivors = List.of();
        viewChanges.increment();
        viewSinceNs = ctx().nowNs();
        ctx().down(new InstallView(v));
        ctx().up(new ViewInstalled(v));
        maybeChange();
    }

    private void exit(final String reason) {
        exit(reason, !leaving);
    }

    private void exit(final String reason, final boolean rejoin) {
        if (!exited) {
            exited = true;
            ctx().up(new Exited(reason, rejoin));
        }
    }

    private void send(final MembershipCodec.Writer w, final long to) {
        final Message f = ctx().allocateControl(w.length());
        w.copyTo(f.buffer(), f.payloadOffset());
        if (to == 0) {
            ctx().castControl(f);
        } else {
            ctx().sendControl(f, to);
        }
    }

    private void onTick(final long now) {
        ctx().schedule(intervalNs, tick);
        final long sinceTick = now - lastTickNs;
        lastTickNs = now;
        if (exited) {
            return;
        }
        if (view() == null && sinceTick > 2 * intervalNs) {
            founding.restart(now);
        }
        if (view() == null) {
            if (founding.due(now)) {
                found();
            } else {
                send(writer.reset(MembershipCodec.JOIN).member(ctx().self()), 0);
            }
            return;
        }
        if (leaving) {
            send(writer.reset(MembershipCodec.LEAVE).member(ctx().self()), 0);
        }
        if (installed != null && installed.equals(view()) && !pendingAcks.isEmpty()) {
            if (now - viewSinceNs > ackTimeoutNs) {
                // Whoever has not acknowledged by now is not in this view (it installed another one, e.g. a
                // second founding view, or never hears us) however alive it looks: drop it like a failed member,
                // so a view whose majority exists only on paper loses the primary instead of living on.
                for (final MemberId m : view().members()) {
                    if (pendingAcks.contains(m.key())) {
                        suspectHere(m);
                    }
                }
                pendingAcks.clear();
            } else {
                sendView(0);
            }
        }
        maybeChange();
    }

    @Override
    public void dump(final StringBuilder out) {
        out.append("view=").append(view()).append(" attempt=").append(attempt).append(" suspects=").append(suspects)
            .append(" leavers=").append(leavers).append(" joiners=").append(joiners).append(" exited=")
            .append(exited).append(' ').append(founding);
    }
}
