package org.springframework.samples.querylens;

import java.lang.reflect.Method;

/**
 * A controller of an application under {@code org.springframework}, and a stand-in for Spring MVC's
 * {@code HandlerMethod} (its {@code getBeanType()} and {@code getMethod()}), which core reads without depending on
 * Spring.
 */
public class OwnerController {

    public String processFindForm() {
        return "owners/ownersList";
    }

    /** What Spring MVC hands around as the handler of a request. */
    public record Handler(Class<?> beanType, Method method) {
        public Class<?> getBeanType() {
            return beanType;
        }

        public Method getMethod() {
            return method;
        }
    }

    public static Handler processFindFormHandler() throws NoSuchMethodException {
        return new Handler(OwnerController.class, OwnerController.class.getMethod("processFindForm"));
    }
}
