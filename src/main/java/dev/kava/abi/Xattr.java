package dev.kava.abi;

/** Extended attributes: flags and namespaces (include/uapi/linux/xattr.h), limits (include/uapi/linux/limits.h). */
public final class Xattr {
    private Xattr() {}

    public static final int XATTR_CREATE = 0x1;
    public static final int XATTR_REPLACE = 0x2;

    public static final String XATTR_SECURITY_PREFIX = "security.";
    public static final String XATTR_SYSTEM_PREFIX = "system.";
    public static final String XATTR_TRUSTED_PREFIX = "trusted.";
    public static final String XATTR_USER_PREFIX = "user.";

    /** # chars in an extended attribute name */
    public static final int XATTR_NAME_MAX = 255;
    /** size of an extended attribute value (64k) */
    public static final int XATTR_SIZE_MAX = 65536;
    /** size of extended attribute namelist (64k) */
    public static final int XATTR_LIST_MAX = 65536;
}
