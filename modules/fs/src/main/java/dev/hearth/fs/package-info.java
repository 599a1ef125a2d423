/**
 * Hearth's filesystem: Puter's tree of entries and their content (filesystem.md).
 *
 * <ul>
 *   <li>{@link dev.hearth.fs.Filesystem}, the {@code filesystem} service, performs the operations of
 *       filesystem.md section 3 for a {@link dev.hearth.fs.FsUser}, taking request records and returning
 *       {@link dev.hearth.fs.Entry} values and result records; errors are {@link dev.hearth.kernel.ApiError}s made
 *       by {@link dev.hearth.fs.FsErrors} with the contract's statuses, codes, messages and fields.</li>
 *   <li>{@link dev.hearth.fs.NodeRef} resolves node parameters, {@link dev.hearth.fs.FsPath} is a normalised path,
 *       {@link dev.hearth.fs.FsNames} holds the name rules, {@link dev.hearth.fs.SafeEntry} the serialized entry.</li>
 *   <li>Extension points in {@code .spi}: {@link dev.hearth.fs.spi.BlobStore} (content; local disk by default,
 *       {@link dev.hearth.fs.LocalDiskBlobStore}) and {@link dev.hearth.fs.spi.FsAccess} (the ACL seam).</li>
 *   <li>The HTTP API ({@code filesystem-routes}): the legacy routes of filesystem.md section 3 on the API host, the
 *       {@code /batch} stream, signed URLs and {@code /token-read}. Who acts is the request's actor.</li>
 *   <li>Access: without a contributed {@code FsAccess}, the filesystem asks core's {@code FilesystemAcl} with the
 *       actor of the request context, for the entry and its ancestors (owner-only when there is no actor). The
 *       {@code fs-permissions} service teaches the permissions the {@code is-owner} rule and rewrites
 *       {@code fs:/path:...} to {@code fs:<uid>:...}.</li>
 * </ul>
 *
 * Rows live in {@code fsentries} (migrations in {@code db/fs}); the tree is {@code (parent_uid, name)}, unique per
 * folder, with {@code path} maintained in the same transactions. Internals (the JDBC table access, transactions,
 * events) are package-private.
 */
package dev.hearth.fs;
