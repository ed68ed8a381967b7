app_name = "kb_review"

urlpatterns: list = []
