package dev.querylens.testapps.hello;

/** The smallest application: prints one line and exits. For the agent's start-up tests. */
public final class Hello {
    private Hello() {
    }

    public static void main(String[] args) {
        System.out.println("HELLO from the application");
    }
}
