package dev.kava.net.core;

/** A netdevice notifier (register_netdevice_notifier): told of every device event in a namespace, under RTNL. */
@FunctionalInterface
public interface NetdevListener {
    void netdevEvent(NetdevEvent event, NetDevice dev);
}
