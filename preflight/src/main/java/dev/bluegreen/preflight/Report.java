package dev.bluegreen.preflight;

import java.io.PrintStream;

import org.jspecify.annotations.Nullable;

/**
 * What the preflight found, printed as it is found: a heading per part checked, then one line per finding with its
 * verdict, and for a problem the fix in plain words on the line after.
 */
public final class Report {

    private static final String RESET = "\u001B[0m";

    private final PrintStream out;
    private final boolean colour;
    private int problems;
    private int warnings;

    public Report(PrintStream out, boolean colour) {
        this.out = out;
        this.colour = colour;
    }

    /** Colour on a terminal, unless NO_COLOR asks otherwise (https://no-color.org). */
    static boolean colourWanted() {
        return System.console() != null && System.getenv("NO_COLOR") == null;
    }

    public void heading(String title) {
        out.println();
        out.println(colour ? "\u001B[1m" + title + RESET : title);
    }

    public void line(String text) {
        out.println(text);
    }

    public void ok(String finding) {
        print("ok", "\u001B[32m", finding, null);
    }

    /** Something to look at that does not stop bluegreen from working. */
    public void warn(String finding, @Nullable String fix) {
        warnings++;
        print("warn", "\u001B[33m", finding, fix);
    }

    /** Something that stops a deployment or a switch until it is fixed. */
    public void problem(String finding, String fix) {
        problems++;
        print("FAIL", "\u001B[31m", finding, fix);
    }

    /** A check that could not run because an earlier one failed. */
    public void skipped(String check, String because) {
        print("skip", "\u001B[90m", check + ": skipped, " + because, null);
    }

    public int problems() {
        return problems;
    }

    public int warnings() {
        return warnings;
    }

    private void print(String verdict, String ansi, String finding, @Nullable String fix) {
        String label = String.format("  %-5s ", verdict);
        out.println((colour ? ansi + label + RESET : label) + finding);
        if (fix != null) {
            out.println("        fix: " + fix);
        }
    }
}
