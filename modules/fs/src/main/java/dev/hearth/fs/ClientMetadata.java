package dev.hearth.fs;

import java.util.Optional;

/**
 * What a client sends along with an operation so that it can recognise the events it caused (filesystem.md
 * section 7): {@code socket_id}, {@code operation_id}, {@code item_upload_id}. The
 * {@code original_client_socket_id} comes from the request {@link dev.hearth.kernel.Context}.
 */
public record ClientMetadata(Optional<String> socketId, Optional<String> operationId, Optional<String> itemUploadId) {

    public static final ClientMetadata NONE = new ClientMetadata(Optional.empty(), Optional.empty(), Optional.empty());
}
