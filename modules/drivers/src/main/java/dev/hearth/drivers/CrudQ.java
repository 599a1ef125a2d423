package dev.hearth.drivers;

/**
 * The {@code crud-q} interface (spec 2.9): the method table of the entity stores ({@code es:app},
 * {@code es:subdomain}, {@code es:notification}). Calls to {@code puter-apps}, {@code puter-subdomains} and
 * {@code puter-notifications} are rewritten to it. The registry declares it; a module implementing an entity store
 * declares the client-facing interface with {@link #named} (clients call {@code puter-subdomains}, which must exist)
 * and contributes its {@link Driver} for {@code crud-q}.
 */
public final class CrudQ {

    public static final String NAME = "crud-q";

    public static final InterfaceSpec INTERFACE = InterfaceSpec.of(NAME, "Create, read, update and delete entities.",
            MethodSpec.of("create", "Create an entity.", Param.json("object").subtype("object").asRequired(),
                    Param.json("options")).returning("json"),
            MethodSpec.of("read", "Read an entity.", Param.string("uid"), Param.json("id"), Param.json("params"))
                    .returning("json"),
            MethodSpec.of("select", "Select entities.", Param.json("predicate"), Param.number("offset"),
                    Param.number("limit"), Param.json("params")).returning("json"),
            MethodSpec.of("update", "Update an entity.", Param.json("id"),
                    Param.json("object").subtype("object").asRequired(), Param.json("options")).returning("json"),
            MethodSpec.of("upsert", "Update an entity, or create it.", Param.json("id"),
                    Param.json("object").subtype("object").asRequired(), Param.json("options")).returning("json"),
            MethodSpec.of("delete", "Delete an entity.", Param.string("uid"), Param.json("id")));

    private CrudQ() {}

    /** The same method table under a client-facing name, such as {@code puter-subdomains}. */
    public static InterfaceSpec named(String name, String description) {
        return new InterfaceSpec(name, description, INTERFACE.methods(), false);
    }
}
