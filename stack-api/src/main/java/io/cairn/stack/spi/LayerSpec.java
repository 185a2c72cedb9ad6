package io.cairn.stack.spi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A layer's facts, declared once on its class and read without creating it: the name stack files and settings use,
 * the control-frame id, the position for synthesized stacks, the properties it provides and requires, and its data
 * header's length. {@link Layer}'s {@code provides}, {@code requires}, {@code layerId} and {@code headerLength}
 * answer from here. Listing the class in {@code META-INF/services/io.cairn.stack.spi.Layer} registers it under
 * {@link #name()}; a class named in a stack file needs nothing but this annotation (or not even that).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface LayerSpec {
    /** @return the kebab-case name in stack files and settings; empty: derived from the class name */
    String name() default "";

    /** @return the control-frame id, 1..65535, unique in a stack; 0: derived from the class name */
    int id() default 0;

    /** @return where a synthesized stack puts it, lower nearer the transport (built-in: multiples of 100) */
    int position() default Integer.MAX_VALUE;

    /** @return names of the properties it provides (see {@link Property}) */
    String[] provides() default {};

    /** @return names of the properties it requires from the layers below and the transport */
    String[] requires() default {};

    /** @return the length of the header it writes into every data frame, 0 for none */
    int header() default 0;
}
