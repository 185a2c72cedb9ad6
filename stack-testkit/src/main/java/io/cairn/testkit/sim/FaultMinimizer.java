package io.cairn.testkit.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Shrinks a failing fault schedule by delta debugging (Zeller's ddmin over the actions): it removes chunks of
 * actions while the run still fails, then single actions, and returns a 1-minimal schedule (removing any one
 * remaining action makes the failure disappear).
 */
public final class FaultMinimizer {
    private FaultMinimizer() {
    }

    /**
     * @param failing a schedule for which {@code fails} is true
     * @param fails   runs the simulation with a schedule and says whether it still fails
     * @return the smallest failing schedule found
     */
    public static FaultSchedule minimize(final FaultSchedule failing, final Predicate<FaultSchedule> fails) {
        List<FaultSchedule.Action> current = new ArrayList<>(failing.actions());
        int chunks = 2;
        while (current.size() >= 2) {
            final int size = (int) Math.ceil(current.size() / (double) chunks);
            boolean reduced = false;
            for (int start = 0; start < current.size(); start += size) {
                final List<FaultSchedule.Action> complement = new ArrayList<>(current.subList(0, start));
                complement.addAll(current.subList(Math.min(current.size(), start + size), current.size()));
                if (fails.test(new FaultSchedule(complement))) {
                    current = complement;
                    chunks = Math.max(chunks - 1, 2);
                    reduced = true;
                    break;
                }
            }
            if (!reduced) {
                if (chunks >= current.size()) {
                    break;
                }
                chunks = Math.min(chunks * 2, current.size());
            }
        }
        if (current.size() == 1 && fails.test(FaultSchedule.none())) {
            return FaultSchedule.none();
        }
        return new FaultSchedule(current);
    }
}
