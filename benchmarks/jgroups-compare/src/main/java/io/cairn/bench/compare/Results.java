package io.cairn.bench.compare;

import java.util.List;

/** What one run measured. A non-null {@code failure} means the numbers beside it must not be reported. */
final class Results {
    private Results() {
    }

    /**
     * Closed loop: every member casts as fast as the system accepts.
     *
     * @param perMember   deliveries per second at each member (mean over members)
     * @param mbPerSec    payload MB/s delivered at each member
     * @param cpuUsPerMsg process CPU time per delivery (all members' deliveries), µs
     * @param cores       process CPU time over wall time in the window: below the core count, the system waited
     */
    record Throughput(String failure, double perMember, double mbPerSec, double cpuUsPerMsg, double cores) {
        static Throughput failed(final String why) {
            return new Throughput(why, 0, 0, 0, 0);
        }
    }

    /**
     * Open loop at a fraction of the closed-loop rate; latencies in µs from the intended send time.
     *
     * @param offered  deliveries per second per member the schedule asks for
     * @param achieved deliveries per second per member during the measured window
     */
    record CurvePoint(double fraction, String failure, double offered, double achieved, double p50, double p99,
                      double p999) {
        static CurvePoint failed(final double fraction, final String why) {
            return new CurvePoint(fraction, why, 0, 0, 0, 0, 0);
        }
    }

    /**
     * One message at a time from one member; µs from the cast to each delivery, and to the last member's.
     *
     * @param rounds messages in the measured window
     */
    record OneAtATime(String failure, long rounds, double p50, double p99, double allP50, double allP99) {
        static OneAtATime failed(final String why) {
            return new OneAtATime(why, 0, 0, 0, 0, 0);
        }
    }

    /**
     * One system, one row, one repetition, on a fresh set of members.
     *
     * @param failure why the run as a whole failed (no view, a member did not start), else null
     * @param leak    threads or file descriptors still open after the members closed, else null
     * @param seconds wall time of the run, start to close
     * @param phases  how long forming the view and closing took, for the log
     */
    record Run(Row row, boolean cairn, String label, int rep, String failure, Throughput throughput,
               List<CurvePoint> curve, OneAtATime oneAtATime, String leak, double seconds, String phases) {
    }
}
