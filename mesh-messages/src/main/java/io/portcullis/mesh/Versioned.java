package io.portcullis.mesh;

/** A message that says which schema it was written with, so readers can refuse what they do not know. */
public interface Versioned {

    int schemaVersion();
}
