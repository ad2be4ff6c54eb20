"""Pages of 督办事项. URL parameters are named from the list the authorization test probes
(tests/test_authorization.py): task_id. A progress report's files download through the
attachment view of work (attachments/<attachment_id>/), which asks access.py like any file."""

from django.urls import path

from . import views_tasks as tasks

urlpatterns = [
    path("tasks/", tasks.task_list, name="task_list"),
    path("tasks/new/", tasks.task_create, name="task_create"),
    path("tasks/<int:task_id>/", tasks.task_detail, name="task_detail"),
    path("tasks/<int:task_id>/act/", tasks.task_act, name="task_act"),
]
