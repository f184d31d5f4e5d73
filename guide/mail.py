"""Development mail backend: the console backend, printing each email readably."""

from django.core.mail.backends import console


class ReadableConsoleBackend(console.EmailBackend):
    """Writes each email to the console with its headers decoded (a Japanese subject
    as written) and its body as text, where the console backend prints the raw MIME
    (base64 for Japanese text). The message itself is built exactly as for SMTP."""

    def write_message(self, message):
        msg = message.message()
        for name, value in msg.items():
            self.stream.write(f"{name}: {value}\n")
        self.stream.write(f"\n{msg.get_content()}\n{'-' * 79}\n")
