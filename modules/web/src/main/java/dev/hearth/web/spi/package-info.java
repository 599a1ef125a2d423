/**
 * Extension points of the web module that other modules implement: socket authentication
 * ({@link dev.hearth.web.spi.SocketAuthenticator}) and cross-replica socket fan-out
 * ({@link dev.hearth.web.spi.SocketFanout}). Implementations are services, found through the registry.
 */
package dev.hearth.web.spi;
