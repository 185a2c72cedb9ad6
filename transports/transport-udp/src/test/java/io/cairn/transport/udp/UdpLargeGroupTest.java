package io.cairn.transport.udp;

import com.typesafe.config.ConfigFactory;
import io.cairn.stack.spi.Property;
import io.cairn.testkit.LiveGroup;
import io.cairn.testkit.trace.CheckReport;
import io.cairn.testkit.trace.TraceChecker;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A large group over real sockets: 16 members of {@code vsync}'s layers in this JVM, one UDP transport each (multicast on lo,
 * TTL 0), every member casting; every cast is delivered to every member and the trace checker finds no violation
 * of reliable FIFO delivery or of the view properties.
 */
class UdpLargeGroupTest {
    private static final Set<Property> PROVIDES = Set.of(Property.FIFO, Property.VIRTUAL_SYNCHRONY,
        Property.MEMBERSHIP);

    @Test
    void sixteenMembersDeliverEveryCastOverUdp() throws Exception {
        final int n = 16;
        final int each = 500;
        try (LiveGroup m = new LiveGroup(n, "udp-large-test", "udp-vsync-test", PROVIDES, (i, earlier) ->
            ConfigFactory.parseMap(Map.of("cairn.transport.udp.multicast-port", 45620)))) {
            assertThat(LiveGroup.await(m::formed, 60)).as("a view of 16").isTrue();
            m.castFromAll(each, 256);
            final long expected = (long) n * each * n;
            assertThat(LiveGroup.await(() -> m.delivered() == expected, 120)).as("delivered " + m.delivered() + " of "
                + expected).isTrue();
            m.recordHandlerErrors();
            final CheckReport report = new TraceChecker(TraceChecker.propertiesFor(PROVIDES), 0, false).check(m.trace().events());
            assertThat(report.violations()).as(report.summary()).isEmpty();
        }
    }
}
