package io.cairn.transport.rdma.verbs.disni;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What DiSNI needs, checked without touching a DiSNI class (whose static initialisers would throw
 * {@code UnsatisfiedLinkError} or {@code IllegalAccessError}): the exported {@code sun.nio.ch} package, the
 * {@code libdisni} native library, and an RDMA device.
 */
public final class DisniAvailability {
    /** Where Linux lists RDMA devices. */
    static final Path DEVICES = Path.of("/sys/class/infiniband");

    private DisniAvailability() {
    }

    /** @return what is missing, each with its fix; empty when DiSNI can run */
    public static List<String> problems() {
        return problems(DEVICES);
    }

    static List<String> problems(final Path devices) {
        final List<String> out = new ArrayList<>();
        if (!Object.class.getModule().isExported("sun.nio.ch", DisniAvailability.class.getModule())) {
            out.add("the JVM does not export sun.nio.ch to DiSNI: start java with "
                + "--add-exports java.base/sun.nio.ch=ALL-UNNAMED (the ./cairn launcher does)");
        }
        try {
            System.loadLibrary("disni");
        } catch (final UnsatisfiedLinkError | SecurityException e) {
            out.add("libdisni.so is not on java.library.path (" + System.getProperty("java.library.path")
                .replace(File.pathSeparator, ", ") + "): build it from DiSNI's sources (libdisni/: ./autoprep.sh && "
                + "./configure --with-jdk=$JAVA_HOME && make install) and pass -Djava.library.path=<its directory>");
        }
        if (!hasDevice(devices)) {
            out.add("no RDMA device in " + devices + ": install an RDMA NIC (or configure soft-RoCE with "
                + "'rdma link add rxe0 type rxe netdev <if>') and load its driver, or use provider = soft or shm");
        }
        return out;
    }

    private static boolean hasDevice(final Path devices) {
        if (!Files.isDirectory(devices)) {
            return false;
        }
        try (Stream<Path> s = Files.list(devices)) {
            return s.findAny().isPresent();
        } catch (final Exception e) {
            return false;
        }
    }
}
