package io.portcullis.policy.api.parse;

/** The request text is not YAML/JSON at all (a 400, not a 422). Line and column are 1-based. */
public final class PolicySyntaxException extends RuntimeException {

    private final int line;
    private final int column;

    public PolicySyntaxException(String problem, int line, int column, Throwable cause) {
        super("line " + line + ", column " + column + ": " + problem, cause);
        this.line = line;
        this.column = column;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
