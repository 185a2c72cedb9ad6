package io.cairn.transport.rdma.verbs.emu;

import io.cairn.transport.rdma.verbs.VerbsException;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Devices as memory-mapped files in one directory (by default under {@code /dev/shm}), so processes on one host
 * write into each other's registered memory. The owner holds an exclusive file lock for the device's lifetime:
 * a peer that can take the lock knows the owner died.
 */
final class ShmFabric implements Fabric {
    private final Path directory;
    private final Map<String, RandomAccessFile> own = new HashMap<>();
    private final Map<String, FileLock> locks = new HashMap<>();
    private final Map<String, MappedByteBuffer> mapped = new HashMap<>();
    private final Map<String, RandomAccessFile> peers = new HashMap<>();

    ShmFabric(final Path directory) {
        this.directory = directory;
    }

    private Path file(final String address) {
        return directory.resolve(address + ".rdma");
    }

    @Override
    public synchronized UnsafeBuffer create(final String address, final int bytes) throws VerbsException {
        try {
            Files.createDirectories(directory);
            final RandomAccessFile f = new RandomAccessFile(file(address).toFile(), "rw");
            final FileLock lock = f.getChannel().tryLock();
            if (lock == null) {
                f.close();
                throw new VerbsException("shm verbs: address '" + address + "' is in use by a live process ("
                    + file(address) + " is locked)");
            }
            // A dead owner's file is reused: start from zeroes.
            f.setLength(0);
            f.setLength(bytes);
            final MappedByteBuffer m = f.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, bytes);
            own.put(address, f);
            locks.put(address, lock);
            mapped.put(address, m);
            return new UnsafeBuffer(m);
        } catch (final IOException | OverlappingFileLockException e) {
            throw new VerbsException("shm verbs: cannot create " + file(address) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized UnsafeBuffer open(final String address) throws VerbsException {
        final Path p = file(address);
        if (!Files.exists(p)) {
            throw new VerbsException("shm verbs: no device at '" + address + "' (" + p + " does not exist)");
        }
        try {
            final RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw");
            final long length = f.length();
            if (length < DeviceLayout.MIN_LENGTH) {
                f.close();
                throw new VerbsException("shm verbs: " + p + " is not a device yet");
            }
            final RandomAccessFile old = peers.put(address, f);
            if (old != null) {
                old.close();
            }
            return new UnsafeBuffer(f.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, length));
        } catch (final IOException e) {
            throw new VerbsException("shm verbs: cannot map " + p + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized boolean ownerAlive(final String address) {
        if (own.containsKey(address)) {
            return true;
        }
        final RandomAccessFile f = peers.get(address);
        if (f == null) {
            return false;
        }
        try {
            final FileLock probe = f.getChannel().tryLock();
            if (probe == null) {
                return true;
            }
            probe.release();
            return false;
        } catch (final OverlappingFileLockException e) {
            return true;
        } catch (final IOException e) {
            return false;
        }
    }

    @Override
    public synchronized void destroy(final String address) {
        try {
            final FileLock lock = locks.remove(address);
            final RandomAccessFile f = own.remove(address);
            final MappedByteBuffer m = mapped.remove(address);
            if (m != null) {
                IoUtil.unmap(m);
            }
            Files.deleteIfExists(file(address));
            if (lock != null) {
                lock.release();
            }
            if (f != null) {
                f.close();
            }
        } catch (final IOException ignored) {
            // best effort: a leftover file is reused by the next device with this address
        }
    }

    @Override
    public synchronized void forget(final String address) {
        final RandomAccessFile f = peers.remove(address);
        if (f != null) {
            try {
                f.close();
            } catch (final IOException ignored) {
                // closing
            }
        }
    }
}
