/**
 * The web module: Hearth's HTTP server (Jetty 12 core handlers on virtual threads, behind a small router),
 * speaking Puter's transport rules. No Jetty type appears in this package's public API.
 *
 * <h2>Extending</h2>
 * A service implements {@link dev.hearth.web.HttpService}; during consolidation it registers routes on a
 * {@link dev.hearth.web.HostScope} and middleware at a {@link dev.hearth.web.Stage} (authentication and rate
 * limits come from the core module). Handlers get a {@link dev.hearth.web.Request} and a
 * {@link dev.hearth.web.Response}; throwing a {@link dev.hearth.kernel.ApiError} answers with Puter's JSON
 * error body. {@link dev.hearth.web.Response#serve(dev.hearth.web.ByteSource)} answers range and conditional
 * requests for any {@link dev.hearth.web.ByteSource} (files, blob store objects).
 *
 * <h2>Pipeline</h2>
 * Request id and {@link dev.hearth.kernel.Context} (bound in a {@code ScopedValue}) → security and CORS headers
 * → Host validation ({@code 400 Invalid Host header.}, {@code /healthcheck} exempt) → {@code OPTIONS} answered
 * with 200 → routing (JSON 404) → middleware by stage → handler → errors as JSON (a 500 names the request id).
 * Every response has a {@code Content-Type}. {@code POST}s without {@code Origin} are accepted. Requests for hosted
 * sites ({@link dev.hearth.web.HostScope#SITES}: site hosts, and everything on the sites port) skip the middleware:
 * no platform credential acts for a site.
 *
 * <h2>socket.io</h2>
 * Engine.IO v4 / Socket.IO v5 at {@code /socket.io/} on the API host and the main domain (the one origin in
 * single-origin mode), ahead of routing but after the Host check and the security headers; CORS reflects the
 * origin with credentials. Long-polling, WebSocket, and the upgrade from one to the other; namespace {@code /}
 * only. A client authenticates in its CONNECT packet with {@code auth.auth_token}, which the
 * {@link dev.hearth.web.spi.SocketAuthenticator} service (from the accounts module) checks; without one every
 * connection is refused. Each socket joins the room of its numeric user id. The {@link dev.hearth.web.Sockets}
 * service ({@code socketio}) delivers {@code outer.gui.<event>} application events to the listed users' rooms as
 * socket event {@code <event>}, emits {@code web.socket.connected}, {@code web.socket.user-connected}
 * ({@code puter_is_actually_open}) and {@code sent-to-user.<event>}, relays {@code trash.is_empty} to the user's
 * other sockets, and lets modules handle client events. Deliveries reach other replicas through a
 * {@link dev.hearth.web.spi.SocketFanout} service when one is registered. {@code disconnectUser} and
 * {@code disconnectWhere} end sockets from the server side (DISCONNECT, then the connection closes once it is
 * written), on this instance: modules reach the others with an {@code outer.} application event. WebSockets are not
 * compressed (no permessage-deflate, as engine.io's default).
 *
 * <h2>Configuration</h2>
 * Top-level keys (Puter's names):
 * <ul>
 *   <li>{@code http_port}: {@code "auto"} (first free of 4100–4119; default), a port, or 0 for any free port;
 *       {@code host}: bind address, default {@code 127.0.0.1}</li>
 *   <li>{@code protocol} ({@code http}), {@code domain} ({@code 127.0.0.1}), {@code pub_port} (the actual port),
 *       {@code experimental_no_subdomain} (single-origin mode; default true), and the overrides {@code origin},
 *       {@code api_base_url}, {@code static_hosting_domain(_alt)}, {@code private_app_hosting_domain(_alt)}:
 *       see {@link dev.hearth.web.PublicUrls}</li>
 *   <li>{@code allowed_hosts}: more accepted host names ({@code *.example.com} allowed), aliases of the main
 *       domain; {@code allow_all_host_values}, {@code allow_no_host_header}: switch Host validation off</li>
 *   <li>{@code trusted_proxies}: IPs and CIDR blocks whose {@code X-Forwarded-For/-Proto/-Host} are believed
 *       (the client is the right-most untrusted {@code X-Forwarded-For} hop); none by default</li>
 *   <li>{@code shutdown.drain_seconds}: how long requests in flight may finish at shutdown (15)</li>
 *   <li>{@code max_file_size}: the default of {@code services.web-server.max_body_bytes}</li>
 * </ul>
 * {@code services.web-server}: {@code max_json_bytes} (50 MiB), {@code max_body_bytes} ({@code max_file_size}),
 * {@code idle_timeout_seconds} (315), {@code sites_port} (single-origin mode's port for hosted sites, where
 * {@code /<name>/} is the site: {@code "auto"}, the first free port above the API's; a port; 0; {@code "off"}; off
 * in subdomain mode) and {@code sites_origin} (its public origin, if a proxy publishes it elsewhere). {@code services.socketio}: {@code ping_interval_ms} (25000),
 * {@code ping_timeout_ms} (20000), {@code max_payload} (1000000 bytes), {@code upgrade_timeout_ms} (10000),
 * {@code connect_timeout_ms} (45000), {@code max_buffered_packets} (1000) and {@code max_buffered_bytes}
 * (8000000) per connection before a slow client is disconnected, {@code max_queued_messages} (256) client
 * messages waiting for their handlers. {@code services.server-health}: {@code cache_ms} (5000),
 * {@code check_timeout_ms} (4000). {@code env} and {@code server_id} feed {@code GET /version}.
 */
package dev.hearth.web;
