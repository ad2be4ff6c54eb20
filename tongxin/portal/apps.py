from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "tongxin.portal"
    label = "portal"
    verbose_name = "个人门户"
