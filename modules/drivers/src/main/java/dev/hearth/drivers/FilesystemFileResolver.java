package dev.hearth.drivers;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.OptionalLong;

import dev.hearth.core.Actor;
import dev.hearth.core.User;
import dev.hearth.drivers.spi.DriverFileResolver;
import dev.hearth.fs.FileContent;
import dev.hearth.fs.Filesystem;
import dev.hearth.fs.FsPath;
import dev.hearth.fs.FsUser;
import dev.hearth.fs.MediaTypes;
import dev.hearth.fs.NodeRef;
import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;

/**
 * {@code file} arguments that name a file in the caller's filesystem (spec 1.3): a uid, an absolute path, {@code ~/...}
 * or a dot-relative path (taken from {@code /}). The file is read through the filesystem with the caller's
 * permissions, so an app or an access token reaches exactly what it could reach through {@code /read}; the
 * permission check happens when the argument is resolved, before the driver runs.
 */
final class FilesystemFileResolver implements Service, DriverFileResolver {

    private final ServiceContext context;
    private volatile Optional<Filesystem> filesystem = Optional.empty();

    FilesystemFileResolver(ServiceContext context) {
        this.context = context;
    }

    @Override
    public void init() {
        filesystem = context.services().find(Filesystem.class);
    }

    @Override
    public Optional<DriverFile> resolve(Actor actor, String reference) {
        if (filesystem.isEmpty() || reference.isEmpty()) {
            return Optional.empty();
        }
        char first = reference.charAt(0);
        boolean isUid = NodeRef.UUID.matcher(reference).matches();
        if (!isUid && first != '/' && first != '~' && first != '.') {
            return Optional.empty();
        }
        User user = actor.actingUser().orElseThrow(ApiError::forbidden);
        NodeRef ref;
        try {
            ref = first == '.' ? NodeRef.path(FsPath.of("/").resolve(reference))
                    : NodeRef.parse("file", reference, user.username());
        } catch (IllegalArgumentException e) {
            throw ApiError.fieldInvalid("file", "unix-style path or UUID", null);
        }
        FileContent content = filesystem.get().read(new FsUser(user.id(), user.username()), ref);
        return Optional.of(new DriverFile() {
            @Override
            public Optional<String> contentType() {
                return Optional.of(MediaTypes.of(content.entry()).orElse(content.contentType()));
            }

            @Override
            public OptionalLong size() {
                return OptionalLong.of(content.length());
            }

            @Override
            public InputStream open() throws IOException {
                return content.open(0, content.length());
            }
        });
    }
}
