package io.reactivezk.examples.bench;

/** The operations the benchmark times; each works on one of the seeded nodes, except {@link #CREATE}. */
enum Operation {
    GET_DATA("getData"),
    GET_CHILDREN("getChildren"),
    EXISTS("exists"),
    CREATE("create"),
    SET_DATA("setData");

    private final String label;

    Operation(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    static Operation parse(String label) {
        for (Operation op : values()) {
            if (op.label.equalsIgnoreCase(label)) {
                return op;
            }
        }
        throw new IllegalArgumentException(
                "unknown operation '" + label + "'; known: getData, getChildren, exists," + " create, setData");
    }
}
