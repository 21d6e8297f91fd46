"""`tradewire demo`: sample feeds and news pages served on 127.0.0.1, run through the whole pipeline."""
