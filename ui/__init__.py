"""User interfaces: the ``crossrec`` command line and the Gradio chat app."""
