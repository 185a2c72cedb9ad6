/**
 * {@code encrypt}: authenticated encryption of whole frames, authentication of every sender, and per-view keys.
 *
 * <h2>Protocol</h2>
 * The bottom layer of a stack, right above the transport, as a {@link io.cairn.stack.spi.FrameSeal}: the runtime
 * hands it every frame the stack sends, data and control alike (control frames bypass the layers below their own,
 * so a layer higher up could not see them), and every frame it receives before anything reads it. A frame is
 * sealed with AES-256-GCM: the frame header stays in the clear (transports frame and route by it) and is
 * authenticated, with the sealer's member key, session id, frame counter and key id; everything after it (every
 * layer's header, control bodies, the payload) is encrypted. A unicast's destination is bound in too.
 * <ul>
 * <li><b>Keys.</b> HKDF-SHA256 (RFC 5869) turns the group's secret into one AES key per sealer session, where
 * the session id is 64 bits from {@code SecureRandom} at every start of the stack. The counter is therefore a
 * nonce that never repeats under a key, even when a process restarts as the same member.</li>
 * <li><b>Replays.</b> A receiver keeps, per sealer, its session, an RFC 4303 window of the counters received,
 * and its last four ended sessions. A counter seen before, or older than the window, is refused as
 * {@code replayed}; so is any frame under this member's own key from another session.</li>
 * <li><b>Liveness of a session.</b> Frames of a session this member has not yet verified are dropped as
 * {@code unverified}, and the session is asked whether it is live. The CHALLENGE carries a challenge id unique
 * across this member's restarts, and is repeated with backoff under the same id. Only the live owner answers;
 * its RESPONSE gives its current counter as a floor and its X25519 public key. Frames up to the floor, and any
 * dropped while waiting, are refused from then on, so frames captured before this member started cannot be
 * replayed to it. A new session of a known member is taken the same way, once it answers. Genuine frames lost
 * this way are recovered by retransmission. A session unanswered for 20 intervals gives way to another.</li>
 * <li><b>Per-view keys.</b> Each view's coordinator (its oldest member) draws a fresh key and sends it to each
 * member, wrapped under their pairwise X25519 secret (HKDF-SHA256, AES-GCM). A member that lacks the key of a
 * frame asks that frame's verified sealer, which answers only a member of that view whose public key it
 * pinned. Data of a view is sealed under that view's key once the sealer holds it. Control frames stay under
 * the group secret's keys: members to be, who lack the view's key, must read joins and installs. The newest
 * four view keys are held; a frame under any other is dropped as {@code no_key}.</li>
 * </ul>
 * So a process without the secret can neither read nor change anything. Its JOIN, INSTALL, GRANT, state request
 * or data never reaches a layer, whatever sender it claims, and a captured frame replayed later is refused.
 * Nothing is thrown: refusals are counted as {@code stack.reject_forged}, {@code reject_replay},
 * {@code reject_unsealed}, {@code reject_unverified} and {@code reject_no_key}.
 *
 * <h2>Provides / requires</h2>
 * Provides {@code encryption} and {@code authentication}; requires nothing. Must be the first (bottom) layer.
 *
 * <h2>Parameters</h2>
 * {@code encrypt.conf}:
 * <ul>
 * <li>{@code secret-file}: raw bytes, at least 16; or the environment variable {@code CAIRN_GROUP_SECRET_FILE};</li>
 * <li>or {@code key-store}, {@code key-alias} and {@code key-store-password-file}: a PKCS#12 secret-key entry;</li>
 * <li>{@code replay-window}: counters, default 4096;</li>
 * <li>{@code challenge-interval}: default 50 ms;</li>
 * <li>{@code view-keys}: default on.</li>
 * </ul>
 *
 * <h2>Wire</h2>
 * <pre>
 *  0               32         40         48         56         64                        length-16    length
 *  +---------------+----------+----------+----------+----------+-------------------------+------------+
 *  | frame header  | sealer   | session  | counter  | key id   | ciphertext of the plain | GCM tag    |
 *  | (flag SEALED, | key (64) | id (64)  | (64)     | (64)     | frame after its header  | (16)       |
 *  | sealed length)|          |          |          |          |                         |            |
 *  +---------------+----------+----------+----------+----------+-------------------------+------------+
 *  associated data: bytes 0..64 and the destination's member key (0 for a multicast), which is not sent;
 *  nonce: counter (8, little-endian) and 4 zero bytes; key id: the view tag whose key sealed it, 0 for the secret's
 * </pre>
 * The sealer is the member that sealed the frame. It is not always the header's sender: a member forwarding
 * another's message keeps that sender in the header. 48 bytes are added per frame, so the layers above see the
 * transport's largest frame less 48. Control body: {@link io.cairn.layers.encrypt.EncryptControl}.
 *
 * <h2>Events</h2>
 * The view ({@code InstallView} down, or {@code ViewInstalled} up for a static view), to make and use its key.
 * Frames reach it only through the seal; its control frames carry challenges, responses and keys.
 *
 * <h2>View change and failure</h2>
 * A member that left the view gets none of the keys after it, so it cannot read later data even if it captures
 * it. It still holds the group secret, though. It can read control frames, and it can impersonate a member
 * towards the others, for example by answering another member's challenge first with its own public key. Keys
 * of other sessions and views age out: four ended sessions per sealer, four view keys.
 *
 * <h2>Testing</h2>
 * <ul>
 * <li>{@code EncryptLayerTest}: round trip; every bit flip and truncation refused; replays and the window;
 * verification of sessions; a unicast replayed elsewhere; a view key that only its members receive; settings
 * errors.</li>
 * <li>{@code ReplayWindowTest}: the window against a model.</li>
 * <li>{@code SecureStackProperties} in stack-configs: simulator rows F17 (forged frames) and F18 (replays), each
 * run compared with the same seed without the attacker; key rotation across at least 20 view changes.</li>
 * <li>The safety matrix, with secure-total in every row.</li>
 * <li>{@code UdpSecureGroupTest} and {@code TcpSecureGroupTest}: rogue processes against live groups.</li>
 * </ul>
 */
package io.cairn.layers.encrypt;
