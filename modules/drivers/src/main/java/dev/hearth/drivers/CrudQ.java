package dev.hearth.drivers;

import java.util.List;

/**
 * The entity-store interface {@code crud-q} (spec 2.9) and the three client-facing names that are rewritten to it:
 * {@code puter-apps}, {@code puter-subdomains} and {@code puter-notifications}. The registry declares them, because
 * several modules implement them (apps: {@code es:app}; hosting: {@code es:subdomain}; core's notifications) and an
 * interface may be declared only once; an implementation is a {@link Driver} whose interface is {@link #NAME}.
 * Arguments are checked against the name the client used, so errors name {@code puter-apps}, as upstream's do.
 */
public final class CrudQ {

    private CrudQ() {}

    public static final String NAME = "crud-q";

    private static MethodSpec[] methods() {
        return new MethodSpec[] {
            MethodSpec.of("create", "Create an entity.", Param.json("object").subtype("object").asRequired(),
                    Param.json("options")).returning("json"),
            MethodSpec.of("read", "Read an entity.", Param.string("uid"), Param.json("id"), Param.json("params"))
                    .returning("json"),
            // cursor and includeTotal: puter.js 2.6.3's pagination (contract 2.9); either asks for the page envelope
            MethodSpec.of("select", "Select entities.", Param.json("predicate"), Param.number("offset").nullAsAbsent(),
                    Param.number("limit").nullAsAbsent(), Param.json("params"), Param.json("cursor"),
                    Param.json("includeTotal")).returning("json"),
            MethodSpec.of("update", "Update an entity.", Param.json("id"),
                    Param.json("object").subtype("object").asRequired(), Param.json("options")).returning("json"),
            MethodSpec.of("upsert", "Create or update an entity.", Param.json("id"),
                    Param.json("object").subtype("object").asRequired(), Param.json("options")).returning("json"),
            MethodSpec.of("delete", "Delete an entity.", Param.string("uid"), Param.json("id")),
        };
    }

    /** {@code crud-q} and the names rewritten to it, with the same method table. */
    static List<InterfaceSpec> interfaces() {
        return List.of(InterfaceSpec.of(NAME, "Create, read, update and delete entities.", methods()).hiddenFromSdk(),
                InterfaceSpec.of("puter-apps", "Manage a developer's apps on Puter.", methods()),
                InterfaceSpec.of("puter-subdomains", "Manage subdomains on Puter.", methods()),
                InterfaceSpec.of("puter-notifications", "Read notifications on Puter.", methods()));
    }
}
