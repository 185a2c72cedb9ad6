package io.cairn.examples;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class QuickStartTest {
    @Test
    void shouldGiveBothReplicasTheSameLogInTheSameOrder() throws Exception {
        final List<List<String>> logs = QuickStart.run(500);
        assertThat(logs.get(0)).hasSize(1000);
        assertThat(logs.get(1)).as("total order: identical logs").isEqualTo(logs.get(0));
        assertThat(logs.get(0)).containsSubsequence("a0", "a1", "a499").containsSubsequence("b0", "b499");
    }
}
