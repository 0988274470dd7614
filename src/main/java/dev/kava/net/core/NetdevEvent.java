package dev.kava.net.core;

/**
 * What happened to a device (enum netdev_cmd, include/linux/netdevice.h), as the netdevice
 * notifier chain reports it. Kernel-internal: no number of these reaches user space.
 */
public enum NetdevEvent {
    UP, DOWN, GOING_DOWN, CHANGE, REGISTER, UNREGISTER, CHANGEMTU, CHANGEADDR, CHANGENAME, CHANGETXQUEUELEN
}
