package io.cairn.layers.heartbeat;

/** {@link HeartbeatLayerTest}'s cases with every group detecting on its own ({@code share-liveness = false}). */
class UnsharedHeartbeatLayerTest extends HeartbeatLayerTest {
    @Override
    boolean share() {
        return false;
    }
}
