package dev.kava.tools.rootfs;

/** A failure of the root filesystem builder that the user should read: its message says what and why. */
public class RootfsException extends RuntimeException {
    public RootfsException(String message) {
        super(message);
    }

    public RootfsException(String message, Throwable cause) {
        super(message, cause);
    }
}
