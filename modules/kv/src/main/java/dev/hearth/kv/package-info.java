/**
 * Hearth's key-value store, {@code puter-kvstore}: {@link dev.hearth.kv.KvStore} keeps per-user and per-app
 * namespaces in the SQL database and implements the driver interface of the same name.
 */
package dev.hearth.kv;
