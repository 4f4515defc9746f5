package dev.bluegreen.apps;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;

import dev.bluegreen.events.Colour;

/** The droplets of each colour. Both colours are identical sets: same size, same role. */
public record Droplets(@NotEmpty List<@Valid DropletSpec> blue, @NotEmpty List<@Valid DropletSpec> green) {

    public Droplets {
        blue = blue == null ? List.of() : List.copyOf(blue);
        green = green == null ? List.of() : List.copyOf(green);
    }

    public List<DropletSpec> of(Colour colour) {
        return colour == Colour.BLUE ? blue : green;
    }
}
