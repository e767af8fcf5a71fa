package dev.nines.console.theme;

/** The console's two themes. */
public enum Theme {
  DARK,
  LIGHT;

  /** The widget colours of this theme. */
  public Palette palette() {
    return this == DARK ? Palette.DARK : Palette.LIGHT;
  }
}
