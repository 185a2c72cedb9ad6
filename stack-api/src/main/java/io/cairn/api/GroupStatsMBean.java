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
    private final Group group;

    GroupStatsMBean(final Group group) {
        this.group = group;
    }

    @Override
    public Object getAttribute(final String attribute) throws AttributeNotFoundException {
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
        final Map<String, Long> stats = group.stats();
        final AttributeList out = new AttributeList();
        for (final String a : attributes) {
            final Long v = stats.get(a);
            if (v != null) {
                out.add(new Attribute(a, v));
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
        final MBeanAttributeInfo[] attributes = new MBeanAttributeInfo[stats.size()];
        int i = 0;
        for (final String name : new java.util.TreeSet<>(stats.keySet())) {
            attributes[i++] = new MBeanAttributeInfo(name, "long", "counter or gauge " + name, true, false, false);
        }
        return new MBeanInfo(GroupStatsMBean.class.getName(), "Counters and gauges of Cairn group '" + group.name()
            + "' (stack " + group.stack().source() + ")", attributes, null, new MBeanOperationInfo[0], null);
    }
}
