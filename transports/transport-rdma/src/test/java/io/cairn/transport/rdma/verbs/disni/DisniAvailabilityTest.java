package io.cairn.transport.rdma.verbs.disni;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DisniAvailabilityTest {
    @Test
    void shouldReportAMissingDeviceOnlyWhenTheDeviceDirectoryIsEmpty(@TempDir final Path dir) throws Exception {
        assertThat(DisniAvailability.problems(dir.resolve("absent")))
            .anyMatch(p -> p.startsWith("no RDMA device in") && p.contains("provider = soft or shm"));
        assertThat(DisniAvailability.problems(dir)).anyMatch(p -> p.startsWith("no RDMA device in"));
        Files.createDirectory(dir.resolve("mlx5_0"));
        assertThat(DisniAvailability.problems(dir)).noneMatch(p -> p.startsWith("no RDMA device in"));
    }
}
