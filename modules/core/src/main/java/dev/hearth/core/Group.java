package dev.hearth.core;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A group of users (spec 3.10), as {@code /group/list} shows it.
 *
 * @param owner the owner's username; the default groups belong to {@code system}
 * @param members the members' usernames; empty for the public groups in a listing
 */
public record Group(String uid, Optional<String> owner, Map<String, Object> metadata, Map<String, Object> extra,
        List<String> members) {

    public Group {
        metadata = Map.copyOf(metadata);
        extra = Map.copyOf(extra);
        members = List.copyOf(members);
    }
}
