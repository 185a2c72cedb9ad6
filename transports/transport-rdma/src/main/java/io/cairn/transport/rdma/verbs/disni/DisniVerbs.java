package io.cairn.transport.rdma.verbs.disni;

import com.ibm.disni.RdmaEndpoint;
import com.ibm.disni.RdmaEndpointGroup;
import com.ibm.disni.RdmaPassiveEndpointGroup;
import com.ibm.disni.RdmaServerEndpoint;
import com.ibm.disni.verbs.IbvMr;
import com.ibm.disni.verbs.IbvRecvWR;
import com.ibm.disni.verbs.IbvSendWR;
import com.ibm.disni.verbs.IbvSge;
import com.ibm.disni.verbs.IbvWC;
import com.ibm.disni.verbs.RdmaCmId;
import io.cairn.transport.rdma.verbs.CompletionHandler;
import io.cairn.transport.rdma.verbs.MemoryRegion;
import io.cairn.transport.rdma.verbs.QueuePair;
import io.cairn.transport.rdma.verbs.Verbs;
import io.cairn.transport.rdma.verbs.VerbsException;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.LinkedList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The {@code disni} provider: DiSNI's passive endpoint API (RDMA CM connections, one completion queue per
 * endpoint, polled by the transport's thread). Construct only after {@link DisniAvailability#problems()} is empty.
 * Not exercised on machines without RDMA hardware; the transport's logic is tested over the emulations.
 */
public final class DisniVerbs implements Verbs {
    private static final int TIMEOUT_MS = 2000;
    private static final int MAX_WR = 1024;
    private static final int CQ_SIZE = 2048;

    private final String address;
    private final RdmaPassiveEndpointGroup<Endpoint> group;
    private final RdmaServerEndpoint<Endpoint> server;
    private final ConcurrentLinkedQueue<Endpoint> accepted = new ConcurrentLinkedQueue<>();
    private final Thread acceptor;
    private volatile boolean closed;

    /** A DiSNI endpoint; the transport drives it through {@link DisniQueuePair}. */
    static final class Endpoint extends RdmaEndpoint {
        Endpoint(final RdmaEndpointGroup<? extends RdmaEndpoint> group, final RdmaCmId id, final boolean serverSide)
            throws IOException {
            super(group, id, serverSide);
        }
    }

    /**
     * @param address host:port to listen on (an address of the RDMA interface)
     * @throws VerbsException when the endpoint group or the listener cannot be created
     */
    public DisniVerbs(final String address) throws VerbsException {
        this.address = address;
        try {
            group = new RdmaPassiveEndpointGroup<>(TIMEOUT_MS, MAX_WR, 1, CQ_SIZE);
            group.init((id, serverSide) -> new Endpoint(group, id, serverSide));
            server = group.createServerEndpoint();
            server.bind(socketAddress(address), 64);
        } catch (final Exception e) {
            throw new VerbsException("disni verbs: cannot listen on " + address + ": " + e.getMessage(), e);
        }
        acceptor = new Thread(this::acceptLoop, "cairn-rdma-accept-" + address);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static InetSocketAddress socketAddress(final String hostPort) {
        final int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("disni verbs: expected host:port, got " + hostPort);
        }
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                accepted.add(server.accept());
            } catch (final IOException e) {
                if (!closed) {
                    System.getLogger("io.cairn.transport.rdma").log(System.Logger.Level.WARNING,
                        "disni accept failed: " + e.getMessage());
                }
            }
        }
    }

    @Override
    public String provider() {
        return "disni";
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public MemoryRegion register(final int length) throws VerbsException {
        try {
            final ByteBuffer b = ByteBuffer.allocateDirect(length);
            final IbvMr mr = server.registerMemory(b).execute().free().getMr();
            return new MemoryRegion(new UnsafeBuffer(b), mr.getAddr(), mr.getRkey(), mr.getLkey());
        } catch (final IOException e) {
            throw new VerbsException("disni verbs: memory registration of " + length + " bytes failed: "
                + e.getMessage(), e);
        }
    }

    @Override
    public void release(final MemoryRegion region) {
        // Regions live as long as the device: links are few and reconnections rare.
    }

    @Override
    public QueuePair connect(final String peer, final long timeoutMs) throws VerbsException {
        try {
            final Endpoint ep = group.createEndpoint();
            ep.connect(socketAddress(peer), (int) timeoutMs);
            return new DisniQueuePair(ep, peer);
        } catch (final Exception e) {
            throw new VerbsException("disni verbs: cannot connect to " + peer + ": " + e.getMessage(), e);
        }
    }

    @Override
    public QueuePair accept() {
        final Endpoint ep = accepted.poll();
        if (ep == null) {
            return null;
        }
        String peer;
        try {
            peer = String.valueOf(ep.getDstAddr());
        } catch (final IOException e) {
            peer = "?";
        }
        return new DisniQueuePair(ep, peer);
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
            group.close();
        } catch (final IOException | InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One endpoint as a queue pair. Work requests are built per call: this path favours clarity over speed. */
    static final class DisniQueuePair implements QueuePair {
        private final Endpoint ep;
        private final String peer;
        private final IbvWC[] wcs = new IbvWC[64];
        private volatile boolean broken;

        DisniQueuePair(final Endpoint ep, final String peer) {
            this.ep = ep;
            this.peer = peer;
            for (int i = 0; i < wcs.length; i++) {
                wcs[i] = new IbvWC();
            }
        }

        private static LinkedList<IbvSge> sge(final MemoryRegion r, final int offset, final int length) {
            final IbvSge s = new IbvSge();
            s.setAddr(r.address() + offset);
            s.setLength(length);
            s.setLkey(r.lkey());
            final LinkedList<IbvSge> l = new LinkedList<>();
            l.add(s);
            return l;
        }

        @Override
        public void postRecv(final long wrId, final MemoryRegion region, final int offset, final int length)
            throws VerbsException {
            final IbvRecvWR wr = new IbvRecvWR();
            wr.setWr_id(wrId);
            wr.setSg_list(sge(region, offset, length));
            wr.setNum_sge(1);
            try {
                ep.postRecv(List.of(wr)).execute().free();
            } catch (final IOException e) {
                broken = true;
                throw new VerbsException("disni verbs: post receive failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void postSend(final long wrId, final MemoryRegion region, final int offset, final int length)
            throws VerbsException {
            final IbvSendWR wr = new IbvSendWR();
            wr.setWr_id(wrId);
            wr.setOpcode(IbvSendWR.IBV_WR_SEND);
            wr.setSend_flags(IbvSendWR.IBV_SEND_SIGNALED);
            wr.setSg_list(sge(region, offset, length));
            wr.setNum_sge(1);
            post(wr);
        }

        @Override
        public void postWrite(final long wrId, final MemoryRegion region, final int offset, final int length,
                              final long remoteAddress, final int rkey, final boolean withImm, final int imm,
                              final boolean signaled) throws VerbsException {
            final IbvSendWR wr = new IbvSendWR();
            wr.setWr_id(wrId);
            wr.setOpcode(withImm ? IbvSendWR.IBV_WR_RDMA_WRITE_WITH_IMM : IbvSendWR.IBV_WR_RDMA_WRITE);
            wr.setImm_data(imm);
            wr.setSend_flags(signaled ? IbvSendWR.IBV_SEND_SIGNALED : 0);
            wr.setSg_list(sge(region, offset, length));
            wr.setNum_sge(1);
            wr.getRdma().setRemote_addr(remoteAddress);
            wr.getRdma().setRkey(rkey);
            post(wr);
        }

        private void post(final IbvSendWR wr) throws VerbsException {
            try {
                ep.postSend(List.of(wr)).execute().free();
            } catch (final IOException e) {
                broken = true;
                throw new VerbsException("disni verbs: post send failed: " + e.getMessage(), e);
            }
        }

        @Override
        public int poll(final CompletionHandler handler, final int max) {
            final int n;
            try {
                n = ep.getCqProvider().getCQ().poll(wcs, Math.min(max, wcs.length)).execute().free().getPolls();
            } catch (final IOException e) {
                broken = true;
                return 0;
            }
            for (int i = 0; i < n; i++) {
                final IbvWC wc = wcs[i];
                final int status = wc.getStatus() == 0 ? OK : ERROR;
                if (status == ERROR) {
                    broken = true;
                }
                final int opcode = switch (wc.getOpcode()) {
                    case 0 -> SEND;
                    case 1 -> WRITE;
                    case 129 -> RECV_IMM;
                    default -> RECV;
                };
                handler.onCompletion(wc.getWr_id(), opcode, status, wc.getByte_len(), wc.getImm_data());
            }
            return n;
        }

        @Override
        public boolean isBroken() {
            return broken || ep.isClosed();
        }

        @Override
        public String peerAddress() {
            return peer;
        }

        @Override
        public void close() {
            broken = true;
            try {
                ep.close();
            } catch (final IOException | InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
