import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from keywork.notes.models import Attachment, FileNote
from keywork.notes.tests.test_file_notes import write

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def attach(client, note, name, content):
    return client.post(
        reverse("notes:attachment_new", args=[note.pk]), {"file": SimpleUploadedFile(name, content)}
    )


def test_it_keeps_allowed_files_and_serves_them_only_to_readers_of_the_note(client_for, episode):
    client = client_for("worker")
    write(client, episode)
    note = FileNote.objects.get()
    for name, content in (("letter.pdf", PDF), ("photo.png", PNG), ("plan.docx", docx())):
        assert attach(client, note, name, content).status_code == 302, name
    assert Attachment.objects.count() == 3
    pdf = Attachment.objects.get(original_name="letter.pdf")
    response = client.get(reverse("notes:attachment", args=[pdf.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"].startswith("attachment")
    assert (
        client_for("other_team_worker").get(reverse("notes:attachment", args=[pdf.pk])).status_code
        == 404
    )
    assert client_for("admin").get(reverse("notes:attachment", args=[pdf.pk])).status_code == 404


def test_it_refuses_wrong_types_disguised_files_and_big_files(client_for, episode, settings):
    client = client_for("worker")
    write(client, episode)
    note = FileNote.objects.get()
    cases = [
        ("tool.exe", b"MZ\x90\x00", "must be a PDF, JPEG"),
        ("tool.pdf", b"MZ\x90\x00\x03\x00\x00\x00", "its content is not"),
        ("page.html", b"<script>alert(1)</script>", "must be a PDF, JPEG"),
        ("fake.docx", b"PK\x03\x04not really a zip", "its content is not"),
        ("empty.pdf", b"", "The file is empty"),
    ]
    for name, content, message in cases:
        response = attach(client, note, name, content)
        assert response.status_code == 200, name
        assert message in response.content.decode(), name
    settings.KEYWORK_ATTACHMENT_MAX_BYTES = 10
    assert "must be 0 MB or smaller" in attach(client, note, "big.pdf", PDF).content.decode()
    assert not Attachment.objects.exists()


def test_it_shortens_a_long_file_name_and_keeps_its_extension(client_for, episode):
    client = client_for("worker")
    write(client, episode)
    note = FileNote.objects.get()
    long_stem = "Tenancy agreement signed copy " * 10
    for name, content in ((long_stem + ".pdf", PDF), (long_stem + ".docx", docx())):
        assert attach(client, note, name, content).status_code == 302, name
    pdf, word = Attachment.objects.order_by("pk")
    assert len(pdf.original_name) == len(word.original_name) == 200
    assert pdf.original_name.endswith(".pdf") and word.original_name.endswith(".docx")
    assert pdf.original_name.startswith("Tenancy agreement signed copy")
    assert pdf.content_type == "application/pdf"
