package io.cairn.api;

import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import java.util.Map;

/**
 * A group's counters and gauges as a JMX MBean ({@code io.cairn:type=Group,node=...,group=...}): one read-only
 * {@code long} attribute per stats entry ({@code layer.counter}, as {@link Group#stats()} names them), read live
 * from the group's current stack (the one of its latest incarnation).
 */
final class GroupStatsMBean implements DynamicMBean {
    private static final System.Logger LOG = System.getLogger("io.cairn.node");
    private final Group group;

    GroupStatsMBean(final Group group) {
        this.group = group;
    }

    /** Attributes besides the counters (whose names always hold a dot). */
    private static final String VIEW = "view";
    private static final String READY = "ready";
    private static final String STACK = "stack";

    @Override
    public Object getAttribute(final String attribute) throws AttributeNotFoundException {
        switch (attribute) {
            case VIEW -> {
                final View v = group.view();
                return v == null ? "" : v.toString();
            }
            case READY -> {
                // Ready: a member of a primary view (it may serve); alive is judged from stack.duty_cycles advancing.
                final View v = group.view();
                return v != null && v.primary() && !group.hasExited() && !group.isClosed();
            }
            case STACK -> {
                return group.stack().source();
            }
            default -> {
            }
        }
        final Long v = group.stats().get(attribute);
        if (v == null) {
            throw new AttributeNotFoundException("group '" + group.name() + "' has no counter '" + attribute + "'");
        }
        return v;
    }

    @Override
    public void setAttribute(final Attribute attribute) {
        throw new UnsupportedOperationException("the counters of group '" + group.name() + "' are read-only");
    }

    @Override
    public AttributeList getAttributes(final String[] attributes) {
        final AttributeList out = new AttributeList();
        for (final String a : attributes) {
            try {
                out.add(new Attribute(a, getAttribute(a)));
            } catch (final AttributeNotFoundException unknown) {
                // JMX: unknown names are left out of the list.
            }
        }
        return out;
    }

    @Override
    public AttributeList setAttributes(final AttributeList attributes) {
        return new AttributeList();
    }

    @Override
    public Object invoke(final String action, final Object[] params, final String[] signature) {
        throw new UnsupportedOperationException("group MBeans have no operations");
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        final Map<String, Long> stats = group.stats();
        final MBeanAttributeInfo[] attributes = new MBeanAttributeInfo[stats.size() + 3];
        attributes[0] = new MBeanAttributeInfo(VIEW, "java.lang.String", "the current view", true, false, false);
        attributes[1] = new MBeanAttributeInfo(READY, "boolean", "in a primary view", true, false, true);
        attributes[2] = new MBeanAttributeInfo(STACK, "java.lang.String", "the stack's source", true, false, false);
        int i = 3;
        for (final String name : new java.util.TreeSet<>(stats.keySet())) {
            attributes[i++] = new MBeanAttributeInfo(name, "java.lang.Long", "counter or gauge " + name, true, false,
                false);
        }
        return new MBeanInfo(GroupStatsMBean.class.getName(), "Counters and gauges of Cairn group '" + group.name()
            + "' (stack " + group.stack().source() + ")", attributes, null, new MBeanOperationInfo[0], null);
    }

    /**
     * Registers {@code g}'s counters with the platform MBean server; a name taken in this JVM gets a suffix.
     *
     * @return the name, or null when registration failed (logged)
     */
    static javax.management.ObjectName register(final MemberId self, final Group g) {
        final javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        final String base = "io.cairn:type=Group,node=" + javax.management.ObjectName.quote(self.toString()) + ",group="
            + javax.management.ObjectName.quote(g.name());
        for (int instance = 0; instance < 100; instance++) {
            try {
                final javax.management.ObjectName name = new javax.management.ObjectName(instance == 0 ? base
                    : base + ",instance=" + instance);
                server.registerMBean(new GroupStatsMBean(g), name);
                return name;
            } catch (final javax.management.InstanceAlreadyExistsException taken) {
                // Another node of the same name in this JVM (tests): try the next instance number.
            } catch (final javax.management.JMException e) {
                LOG.log(System.Logger.Level.WARNING, "group " + g.name() + ": JMX registration failed", e);
                return null;
            }
        }
        return null;
    }

    /** Unregisters what {@link #register} returned (null: nothing). */
    static void unregister(final Group g, final javax.management.ObjectName name) {
        if (name != null) {
            try {
                java.lang.management.ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
            } catch (final javax.management.JMException e) {
                LOG.log(System.Logger.Level.DEBUG, "group " + g.name() + ": JMX unregistration failed", e);
            }
        }
    }
}
