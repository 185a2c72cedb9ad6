/**
 * {@code encrypt}: authenticated encryption of whole frames, and with it authentication of every sender.
 *
 * <h2>Protocol</h2>
 * The bottom layer of a stack, right above the transport, as a {@link io.cairn.stack.spi.FrameSeal}: the runtime
 * hands it every frame the stack sends, data and control alike (control frames bypass the layers below their own,
 * so a layer higher up could not see them), and every frame it receives before anything reads it. A frame is sealed
 * with AES-256-GCM: the frame header stays in the clear (transports frame and demultiplex by it) and is
 * authenticated with the sender's session id and frame counter; everything after it, the headers of every layer and
 * the payload, is encrypted. Keys come from the group's secret with HKDF-SHA256 (RFC 5869): one key per sender
 * session, where the session id is 64 bits from {@code SecureRandom} drawn at every start of the stack, so the
 * counter alone is a nonce that never repeats under a key, even when a process restarts as the same member.
 * A receiver keeps, per sender, its current session, a window of the counters received (RFC 4303's anti-replay
 * window) and the last sessions that ended: a frame that fails to open is dropped as {@code forged}, a counter
 * received before, or older than the window, or a frame of an ended session is dropped as {@code replayed}. While a
 * sender is in the view, a frame of another session of it is refused as a replay too: a restarted process is heard
 * once its former self has left the view. Nothing is thrown: every refusal is counted
 * ({@code stack.reject_forged}, {@code stack.reject_replay}, {@code stack.reject_unsealed}).
 *
 * <p>So a process without the secret can make a member do nothing: its JOIN, INSTALL, GRANT, state request or data
 * never reaches a layer, whatever sender it claims; and a captured frame replayed later is refused.
 *
 * <h2>Provides / requires</h2>
 * Provides {@code encryption} and {@code authentication}; requires nothing. Must be the first (bottom) layer.
 *
 * <h2>Parameters</h2>
 * {@code encrypt.conf}: {@code secret-file} (raw bytes, at least 16; or {@code CAIRN_GROUP_SECRET_FILE}), or
 * {@code key-store}, {@code key-alias}, {@code key-store-password-file} (PKCS#12 secret-key entry); and
 * {@code replay-window} (counters, default 4096).
 *
 * <h2>Wire</h2>
 * <pre>
 *  0                32          40          48          56                          length-16      length
 *  +----------------+-----------+-----------+-----------+---------------------------+--------------+
 *  | frame header   | sealer    | session   | counter   | ciphertext of the plain   | GCM tag (16) |
 *  | (flag SEALED,  | key (64)  | id (64)   | (64)      | frame after its header:   |              |
 *  |  sealed length)|           |           |           | layer headers and payload |              |
 *  +----------------+-----------+-----------+-----------+---------------------------+--------------+
 *  associated data: bytes 0..56 and the destination's member key (0 for a multicast), which is not sent;
 *  nonce: counter (8, little-endian) and 4 zero bytes
 * </pre>
 * The sealer is the member that sealed the frame, which is not always the header's sender: a member forwarding
 * another's message keeps that sender in the header. A member holding the secret can therefore write any sender
 * there; the seal keeps out those who do not hold it. Control body (challenge, response): {@link
 * io.cairn.layers.encrypt.EncryptControl}.
 * 40 bytes per frame; the layers above see the transport's largest frame less 40.
 *
 * <h2>Events</h2>
 * None: it sees frames only through the seal.
 *
 * <h2>View change and failure</h2>
 * Keys do not change with views: every member holding the secret can read every view's traffic, and a member
 * removed from the group still holds it. Per-view keys are not implemented (see the security issue).
 * Frames replayed to a member that started after they were captured cannot be told from fresh ones by the seal
 * alone; layers above refuse those of older views, and a JOIN replayed from a departed member's old session
 * at most adds a member that never answers, which failure detection removes.
 *
 * <h2>Testing</h2>
 * {@code EncryptLayerTest} (round trip, every bit flip and truncation refused, replay and window, sessions, settings
 * errors) and {@code SecureStackProperties} in stack-configs (simulator rows F17 forged frames and F18 replays with
 * the trace checker; forged and replayed frames over UDP and TCP).
 */
package io.cairn.layers.encrypt;
