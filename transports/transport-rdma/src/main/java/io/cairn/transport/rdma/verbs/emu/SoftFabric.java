package io.cairn.transport.rdma.verbs.emu;

import io.cairn.transport.rdma.verbs.VerbsException;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Devices in this JVM's direct memory, found by address in one registry. */
final class SoftFabric implements Fabric {
    static final SoftFabric INSTANCE = new SoftFabric();
    private final Map<String, UnsafeBuffer> devices = new ConcurrentHashMap<>();

    @Override
    public UnsafeBuffer create(final String address, final int bytes) throws VerbsException {
        final UnsafeBuffer b = new UnsafeBuffer(ByteBuffer.allocateDirect(bytes));
        final UnsafeBuffer old = devices.putIfAbsent(address, b);
        if (old != null && old.getIntVolatile(DeviceLayout.STATE) == DeviceLayout.OPEN) {
            throw new VerbsException("soft verbs: address '" + address + "' is in use by another device in this JVM");
        }
        devices.put(address, b);
        return b;
    }

    @Override
    public UnsafeBuffer open(final String address) throws VerbsException {
        final UnsafeBuffer b = devices.get(address);
        if (b == null) {
            throw new VerbsException("soft verbs: no device at '" + address + "'");
        }
        return b;
    }

    @Override
    public boolean ownerAlive(final String address) {
        return devices.containsKey(address);
    }

    @Override
    public void destroy(final String address) {
        // Peers that mapped it keep their reference and see its state CLOSED.
        devices.remove(address);
    }

    @Override
    public void forget(final String address) {
    }
}
