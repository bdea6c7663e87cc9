package dev.o2v.cli;

public final class O2vMain {
  public static void main(String[] args) {
    System.out.println("o2v");
  }
}
