package dev.hearth.fs;

import dev.hearth.kernel.Context;
import java.io.IOException;
import java.util.Optional;

/**
 * What a client sends along with an operation so that it can recognise the events it caused (filesystem.md
 * section 7): {@code socket_id}, {@code operation_id}, {@code item_upload_id}. The
 * {@code original_client_socket_id} comes from the request {@link dev.hearth.kernel.Context}.
 */
public record ClientMetadata(Optional<String> socketId, Optional<String> operationId, Optional<String> itemUploadId) {

    public static final ClientMetadata NONE = new ClientMetadata(Optional.empty(), Optional.empty(), Optional.empty());

    /**
     * Runs {@code op} with {@code id} as the request's {@code original_client_socket_id} (a multipart field of
     * {@code /write} or {@code /batch}, filesystem.md 3.4), so that the socket events of the operation carry it.
     */
    static <T> T withOriginalSocket(String id, ScopedValue.CallableOp<T, IOException> op) throws IOException {
        if (id == null || id.isEmpty() || id.equals("undefined")) {
            return op.call();
        }
        return Context.current().orElseGet(Context::create).withSocketId(id).call(op);
    }
}
