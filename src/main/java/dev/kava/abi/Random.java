package dev.kava.abi;

/** getrandom() flags and the /dev/random ioctls. From include/uapi/linux/random.h. */
public final class Random {
    private Random() {}

    public static final int GRND_NONBLOCK = 0x0001;
    public static final int GRND_RANDOM = 0x0002;
    public static final int GRND_INSECURE = 0x0004;

    // ioctls of /dev/random and /dev/urandom: _IOR('R', 0x00, int), _IOW('R', 0x01, int),
    // _IOW('R', 0x03, int [2]), _IO('R', 0x04), _IO('R', 0x06), _IO('R', 0x07)
    public static final int RNDGETENTCNT = 0x80045200;
    public static final int RNDADDTOENTCNT = 0x40045201;
    public static final int RNDADDENTROPY = 0x40085203;
    public static final int RNDZAPENTCNT = 0x5204;
    public static final int RNDCLEARPOOL = 0x5206;
    public static final int RNDRESEEDCRNG = 0x5207;
}
