package io.cairn.stack.config;

import com.typesafe.config.ConfigFactory;
import io.cairn.stack.spi.Property;

import java.util.Set;

/** Test helper: what a stack provides. */
public final class StackAssemblerAccess {
    private StackAssemblerAccess() {
    }

    /**
     * @param stack stack name
     * @return its properties
     */
    public static Set<Property> provides(final String stack) {
        return new StackAssembler().load(stack, ConfigFactory.empty()).provides();
    }
}
